"""html_dom.py — what the HTML report tests share: a page loaded in headless Chromium
(`--dump-dom`, so the DOM is the browser's, not the file's) and read into a list of elements in
document order, each with its attributes, its text and the finding section it is in."""

import os
import subprocess
from html.parser import HTMLParser


class Dom(HTMLParser):
    """Elements in document order: tag, attrs, text (its descendants' too) and section (the id
    of the enclosing <section>, or None); `text` holds every text node."""

    def __init__(self):
        super().__init__()
        self.elements = []
        self.stack = []
        self.text = []
        self.section = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs.get("id")
        element = {"tag": tag, "attrs": attrs, "text": "", "section": self.section}
        self.elements.append(element)
        if tag not in ("br", "meta", "circle", "line", "path", "col"):
            self.stack.append(element)

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()["tag"] == tag:
                break
        if tag == "section":
            self.section = None

    def handle_data(self, data):
        self.text.append(data)
        for element in self.stack:
            element["text"] += data

    def having(self, tag, cls=None, section=None):
        return [e for e in self.elements if e["tag"] == tag and
                (cls is None or cls in (e["attrs"].get("class") or "").split()) and
                (section is None or e["section"] == section)]


def chromium_args(chromium, scratch, *extra):
    """Headless Chromium in a container: no sandbox, no GPU, a profile under `scratch`."""
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-dev-shm-usage", "--user-data-dir=" + os.path.join(scratch, "profile"),
            *extra]


def load_dom(chromium, scratch, page):
    """(Dom of `page` as Chromium built it, chromium's completed process)."""
    r = subprocess.run(chromium_args(chromium, scratch, "--dump-dom", "file://" + page),
                       capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    dom = Dom()
    dom.feed(r.stdout)
    return dom, r
