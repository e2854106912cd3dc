"""`stslint server` driven by a real LSP client (pytest-lsp, on pygls), as an editor would:
open -> diagnostics -> code action -> apply the edit -> the finding is gone; references
resolved against files on disk; the configuration reloaded when it changes; hover; pull
diagnostics; Helm templates left alone. Run by tests/lsp.rs, which builds the workspace.
"""

import asyncio
import os
import pathlib

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

STSLINT = os.environ["STSLINT_BIN"]
ROOT = pathlib.Path(os.environ["STSLINT_WORKSPACE"])


def uri(name: str) -> str:
    return (ROOT / name).as_uri()


async def start(client: LanguageClient, spec: str):
    # The server asks to watch configuration files when the client can register watchers.
    client.feature(types.CLIENT_REGISTER_CAPABILITY)(lambda *args: None)
    await client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities(spec),
            workspace_folders=[types.WorkspaceFolder(uri=ROOT.as_uri(), name="workspace")],
        )
    )


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[STSLINT, "server"]))
async def client(lsp_client: LanguageClient):
    # Emacs 29's eglot asks for pushed diagnostics.
    await start(lsp_client, "emacs")
    yield
    await lsp_client.shutdown_session()


def open_doc(client: LanguageClient, name: str, version: int = 1) -> str:
    text = (ROOT / name).read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=uri(name), language_id="yaml", version=version, text=text)
        )
    )
    return text


async def diagnostics_of(client: LanguageClient, name: str):
    await asyncio.wait_for(client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), 20)
    return client.diagnostics.get(uri(name), [])


def apply(text: str, edits) -> str:
    lines = text.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)

    def at(pos):
        return offsets[pos.line] + pos.character

    for edit in sorted(edits, key=lambda e: at(e.range.start), reverse=True):
        text = text[: at(edit.range.start)] + edit.new_text + text[at(edit.range.end) :]
    return text


@pytest.mark.asyncio
async def test_quick_fix_removes_the_stray_quote_and_the_finding(client: LanguageClient):
    text = open_doc(client, "lab.yaml")
    found = await diagnostics_of(client, "lab.yaml")
    codes = [d.code for d in found]
    assert codes == [
        "statefulset-missing-service-name",
        "claim-template-not-mounted",
        "invalid-helm-hook-annotation",
        "invalid-helm-hook-annotation",
    ]
    stray = found[2]
    # The same place as the command line's 158:38, zero-based.
    assert (stray.range.start.line, stray.range.start.character) == (157, 37)
    assert stray.severity == types.DiagnosticSeverity.Error
    assert stray.code_description.href.startswith("https://")

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri("lab.yaml")),
            range=stray.range,
            context=types.CodeActionContext(diagnostics=[stray]),
        )
    )
    titles = [a.title for a in actions]
    assert titles[0] == "Remove the stray quote: `hook-succeeded`"
    assert actions[0].is_preferred
    assert "Suppress `invalid-helm-hook-annotation` on this line" in titles
    assert "Suppress `invalid-helm-hook-annotation` in this file" in titles

    fixed = apply(text, actions[0].edit.changes[uri("lab.yaml")])
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri("lab.yaml"), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    found = await diagnostics_of(client, "lab.yaml")
    assert [d.code for d in found].count("invalid-helm-hook-annotation") == 1


@pytest.mark.asyncio
async def test_references_resolve_against_files_on_disk(client: LanguageClient):
    # service.yaml is not open: the StatefulSet's serviceName still finds it.
    open_doc(client, "app/statefulset.yaml")
    found = await diagnostics_of(client, "app/statefulset.yaml")
    assert len(found) == 0
    # A typo in the open buffer, not saved: judged against the disk's Service.
    text = (ROOT / "app/statefulset.yaml").read_text().replace("serviceName: db", "serviceName: dbb")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri("app/statefulset.yaml"), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )
    found = await diagnostics_of(client, "app/statefulset.yaml")
    assert [d.code for d in found] == ["statefulset-service-not-found"]
    assert "did you mean `db`?" in found[0].message
    related = found[0].related_information[0]
    assert related.location.uri == uri("app/service.yaml")


@pytest.mark.asyncio
async def test_configuration_is_reloaded_when_it_changes(client: LanguageClient):
    open_doc(client, "lab.yaml")
    found = await diagnostics_of(client, "lab.yaml")
    assert "claim-template-not-mounted" in [d.code for d in found]
    config = ROOT / ".stslint.toml"
    config.write_text('ignore = ["claim-template-not-mounted"]\n')
    try:
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)]
            )
        )
        found = await diagnostics_of(client, "lab.yaml")
        assert "claim-template-not-mounted" not in [d.code for d in found]
    finally:
        config.unlink()


@pytest.mark.asyncio
async def test_hover_shows_the_rule_documentation(client: LanguageClient):
    open_doc(client, "lab.yaml")
    found = await diagnostics_of(client, "lab.yaml")
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri("lab.yaml")),
            position=found[2].range.start,
        )
    )
    assert hover.contents.value.startswith("**invalid-helm-hook-annotation** (error, helm)")
    assert "**Why.**" in hover.contents.value


@pytest.mark.asyncio
async def test_helm_templates_get_no_diagnostics(client: LanguageClient):
    open_doc(client, "chart/templates/statefulset.yaml")
    open_doc(client, "lab.yaml")
    await diagnostics_of(client, "lab.yaml")
    assert len(client.diagnostics.get(uri("chart/templates/statefulset.yaml"), [])) == 0


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[STSLINT, "server"]))
async def pull_client(lsp_client: LanguageClient):
    # VS Code asks for diagnostics (pull) and negotiates UTF-16 positions.
    await start(lsp_client, "visual-studio-code")
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_pull_diagnostics(pull_client: LanguageClient):
    open_doc(pull_client, "lab.yaml")
    report = await pull_client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri("lab.yaml")))
    )
    assert [d.code for d in report.items][:2] == ["statefulset-missing-service-name", "claim-template-not-mounted"]


@pytest.mark.asyncio
async def test_excluded_files_are_neither_reported_on_nor_read(pull_client: LanguageClient):
    # As `stslint check` at the root: an excluded file gets no diagnostics, and what it
    # declares does not resolve references (the Service is not read).
    async def codes(name: str):
        report = await pull_client.text_document_diagnostic_async(
            types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri(name)))
        )
        return [d.code for d in report.items]

    def config_changed(kind):
        pull_client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=kind)])
        )

    open_doc(pull_client, "lab.yaml")
    open_doc(pull_client, "app/statefulset.yaml")
    assert await codes("app/statefulset.yaml") == []
    assert "claim-template-not-mounted" in await codes("lab.yaml")
    config = ROOT / ".stslint.toml"
    config.write_text('exclude = ["lab.yaml", "app/service.yaml"]\n')
    try:
        config_changed(types.FileChangeType.Created)
        assert await codes("lab.yaml") == []
        assert await codes("app/statefulset.yaml") == ["statefulset-service-not-found"]
    finally:
        config.unlink()
    config_changed(types.FileChangeType.Deleted)
    assert await codes("app/statefulset.yaml") == []
    assert "claim-template-not-mounted" in await codes("lab.yaml")


@pytest.mark.asyncio
async def test_fix_all_applies_every_safe_fix_through_the_fix_loop(client: LanguageClient):
    text = open_doc(client, "lab.yaml")
    await diagnostics_of(client, "lab.yaml")
    whole = types.Range(start=types.Position(line=0, character=0), end=types.Position(line=0, character=0))
    # What `editor.codeActionsOnSave: {"source.fixAll": ...}` asks for: no quick fixes, one edit.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri("lab.yaml")),
            range=whole,
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.SourceFixAll]),
        )
    )
    assert [(a.title, a.kind) for a in actions] == [
        ("stslint: fix all safe problems (2 fixes)", "source.fixAll.stslint")
    ]
    edits = actions[0].edit.changes[uri("lab.yaml")]
    assert len(edits) == 1
    fixed = apply(text, edits)
    assert fixed == text.replace('hook-succeeded"', "hook-succeeded")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri("lab.yaml"), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    found = await diagnostics_of(client, "lab.yaml")
    assert "invalid-helm-hook-annotation" not in [d.code for d in found]
    # Nothing left to fix: no action offered.
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri("lab.yaml")),
            range=whole,
            context=types.CodeActionContext(diagnostics=[], only=[types.CodeActionKind.Source]),
        )
    )
    assert not actions


@pytest.mark.asyncio
async def test_configuration_errors_are_shown_at_their_line_and_cleared(client: LanguageClient):
    open_doc(client, "lab.yaml")
    await diagnostics_of(client, "lab.yaml")
    config = ROOT / ".stslint.toml"
    config.write_text('namespace = "shop"\nfail-on = "bogus"\n')
    config_uri = config.as_uri()

    async def until(check):
        for _ in range(200):
            if check():
                return
            await asyncio.sleep(0.05)
        raise AssertionError("timed out")

    try:
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=config_uri, type=types.FileChangeType.Changed)]
            )
        )
        await until(lambda: client.diagnostics.get(config_uri))
        found = client.diagnostics[config_uri]
        assert len(found) == 1
        assert found[0].range.start.line == 1
        assert found[0].range.start.character == 10
        assert found[0].range.end.character == len('fail-on = "bogus"')
        assert "bogus" in found[0].message
        # The documents say the defaults apply, on their first line.
        lab = client.diagnostics[uri("lab.yaml")]
        assert any("configuration cannot be read" in d.message for d in lab)
        config.write_text('namespace = "shop"\n')
        client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(
                changes=[types.FileEvent(uri=config_uri, type=types.FileChangeType.Changed)]
            )
        )
        await until(lambda: not client.diagnostics.get(config_uri))
    finally:
        config.unlink()


@pytest.mark.asyncio
async def test_workspace_diagnostics_cover_unopened_files_and_wait_for_a_change(pull_client: LanguageClient):
    def by_uri(report):
        return {item.uri: item for item in report.items}

    report = by_uri(await pull_client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=[])))
    # Every manifest of the workspace, opened or not; a chart's templates are no manifests.
    lab = report[uri("lab.yaml")]
    assert [d.code for d in lab.items][:2] == ["statefulset-missing-service-name", "claim-template-not-mounted"]
    assert not report[uri("app/statefulset.yaml")].items
    assert uri("chart/templates/statefulset.yaml") not in report
    known = [types.PreviousResultId(uri=u, value=item.result_id) for u, item in report.items()]

    # Asked again with nothing changed, the server holds the request (the client asks again as
    # soon as it is answered); renaming the Service in an open buffer answers it.
    pending = asyncio.ensure_future(
        pull_client.workspace_diagnostic_async(types.WorkspaceDiagnosticParams(previous_result_ids=known))
    )
    await asyncio.sleep(1)
    assert not pending.done()
    text = open_doc(pull_client, "app/service.yaml")
    pull_client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri("app/service.yaml"), version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text.replace("name: db\n", "name: dbx\n", 1))],
        )
    )
    report = by_uri(await asyncio.wait_for(pending, 20))
    sts = report[uri("app/statefulset.yaml")]
    assert isinstance(sts, types.WorkspaceFullDocumentDiagnosticReport)
    assert [d.code for d in sts.items] == ["statefulset-service-not-found"]
    # What did not change is said to be unchanged.
    assert isinstance(report[uri("lab.yaml")], types.WorkspaceUnchangedDocumentDiagnosticReport)


@pytest.mark.asyncio
async def test_each_file_gets_the_configuration_nearest_it(pull_client: LanguageClient):
    # A folder with a configuration of its own (an application's, in a repository with one per
    # application): its files are linted with it, the others with theirs.
    sub = ROOT / "strict"
    sub.mkdir()
    (sub / "lab.yaml").write_text((ROOT / "lab.yaml").read_text())
    config = sub / ".stslint.toml"
    config.write_text('ignore = ["claim-template-not-mounted"]\n')
    try:
        pull_client.workspace_did_change_watched_files(
            types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=config.as_uri(), type=types.FileChangeType.Created)])
        )
        open_doc(pull_client, "lab.yaml")
        open_doc(pull_client, "strict/lab.yaml")

        async def codes(name: str):
            report = await pull_client.text_document_diagnostic_async(
                types.DocumentDiagnosticParams(text_document=types.TextDocumentIdentifier(uri=uri(name)))
            )
            return [d.code for d in report.items]

        assert "claim-template-not-mounted" in await codes("lab.yaml")
        strict = await codes("strict/lab.yaml")
        assert "claim-template-not-mounted" not in strict
        assert "invalid-helm-hook-annotation" in strict
    finally:
        config.unlink()
        (sub / "lab.yaml").unlink()
        sub.rmdir()
