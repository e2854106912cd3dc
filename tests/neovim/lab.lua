-- Headless Neovim (0.7+, its built-in LSP client) against `stslint server`: open the lab
-- chart, wait for the findings, apply the stray-quote quick fix, watch that finding go.
-- Usage: STSLINT_BIN=... STSLINT_FILE=.../lab.yaml nvim --headless -u NONE -c "luafile tests/neovim/lab.lua"
local bin = os.getenv("STSLINT_BIN")
local file = os.getenv("STSLINT_FILE")
local root = vim.fn.fnamemodify(file, ":h")

local function out(line)
  io.stdout:write(line .. "\n")
end

local client_id = vim.lsp.start_client({
  name = "stslint",
  cmd = { bin, "server" },
  root_dir = root,
  workspace_folders = { { uri = vim.uri_from_fname(root), name = "lab" } },
})
vim.cmd("edit " .. file)
vim.lsp.buf_attach_client(0, client_id)

local function stslint_diagnostics()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.source == "stslint" then
      table.insert(found, d)
    end
  end
  table.sort(found, function(a, b) return a.lnum < b.lnum end)
  return found
end

if not vim.wait(15000, function() return #stslint_diagnostics() >= 4 end, 50) then
  out("FAIL: no diagnostics from stslint")
  vim.cmd("cquit 1")
end
for _, d in ipairs(stslint_diagnostics()) do
  out(string.format("finding %d:%d %s", d.lnum + 1, d.col + 1, d.code or d.user_data.lsp.code))
end

-- The first stray-quote finding, and its quick fix.
local target
for _, d in ipairs(stslint_diagnostics()) do
  if (d.code or d.user_data.lsp.code) == "invalid-helm-hook-annotation" then
    target = d
    break
  end
end
local params = {
  textDocument = { uri = vim.uri_from_bufnr(0) },
  range = { start = { line = target.lnum, character = target.col }, ["end"] = { line = target.end_lnum, character = target.end_col } },
  context = { diagnostics = { target.user_data.lsp } },
}
local responses = vim.lsp.buf_request_sync(0, "textDocument/codeAction", params, 10000)
local action
for _, response in pairs(responses or {}) do
  for _, a in ipairs(response.result or {}) do
    if a.isPreferred then
      action = action or a
    end
  end
end
if not action then
  out("FAIL: no preferred code action")
  vim.cmd("cquit 1")
end
out("action " .. action.title)
vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")

if not vim.wait(15000, function() return #stslint_diagnostics() == 3 end, 50) then
  out("FAIL: the finding did not go away")
  vim.cmd("cquit 1")
end
out("after " .. #stslint_diagnostics() .. " findings; line " .. (target.lnum + 1) .. ": " .. vim.api.nvim_buf_get_lines(0, target.lnum, target.lnum + 1, false)[1])
vim.cmd("qall!")
