// Which `stslint` the extension runs, in ruff-vscode's order: the `stslint.path` setting, the
// binary bundled in a per-platform package, the active Python environment (`pip install
// stslint`), then PATH.

import * as fs from "fs";
import * as path from "path";
import * as vscode from "vscode";

export interface Found {
  path: string;
  /** Where it was found, for the log and the status item. */
  source: "setting" | "bundled" | "python" | "PATH";
}

const EXE = process.platform === "win32" ? "stslint.exe" : "stslint";

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** `~` and `${workspaceFolder}` in a configured path, as VS Code users write them. */
function expand(p: string, folder: vscode.WorkspaceFolder | undefined): string {
  let out = p;
  if (out.startsWith("~")) {
    out = path.join(process.env.HOME ?? process.env.USERPROFILE ?? "", out.slice(1));
  }
  if (folder) {
    out = out.replace(/\$\{workspaceFolder\}/g, folder.uri.fsPath);
  }
  return out;
}

/** The interpreter of the Python extension's active environment, when it is installed. */
async function pythonScripts(resource: vscode.Uri | undefined): Promise<string | undefined> {
  const python = vscode.extensions.getExtension("ms-python.python");
  if (!python) {
    return undefined;
  }
  try {
    const api = python.isActive ? python.exports : await python.activate();
    const active = api?.environments?.getActiveEnvironmentPath?.(resource);
    const interpreter: string | undefined = active?.path;
    if (!interpreter || !isFile(interpreter)) {
      return undefined;
    }
    // A virtual environment keeps its scripts beside its interpreter.
    return path.dirname(interpreter);
  } catch {
    return undefined;
  }
}

function onPath(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir && isFile(path.join(dir, EXE))) {
      return path.join(dir, EXE);
    }
  }
  return undefined;
}

export async function findStslint(
  context: vscode.ExtensionContext,
  settings: vscode.WorkspaceConfiguration,
  folder: vscode.WorkspaceFolder | undefined,
): Promise<Found | undefined> {
  const configured = settings.get<string[]>("path", []);
  if (configured.length > 0) {
    for (const candidate of configured) {
      const p = expand(candidate, folder);
      if (isFile(p)) {
        return { path: p, source: "setting" };
      }
    }
    // A path the user set and that is missing is an error, not a reason to run another one.
    return undefined;
  }
  const bundled = context.asAbsolutePath(path.join("bundled", "bin", EXE));
  if (isFile(bundled)) {
    return { path: bundled, source: "bundled" };
  }
  const scripts = await pythonScripts(folder?.uri);
  if (scripts && isFile(path.join(scripts, EXE))) {
    return { path: path.join(scripts, EXE), source: "python" };
  }
  const found = onPath();
  return found ? { path: found, source: "PATH" } : undefined;
}
