"""Headless Chromium driven over the DevTools protocol (aiohttp's websocket client), for the
browser wall's tests: open a page, send keys, take a screenshot, and read every byte the page's
terminal received (a hook installed before the page's own scripts records its websocket)."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import aiohttp

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
# Records what the page's terminal receives (ArrayBuffers of terminal output) and sends.
RECORDER = """
window.__received = []; window.__sent = [];
const Native = window.WebSocket;
window.WebSocket = function (url, protocols) {
  const ws = new Native(url, protocols);
  ws.binaryType = "arraybuffer";
  ws.addEventListener("message", (event) => {
    if (event.data instanceof ArrayBuffer) {
      let text = ""; const bytes = new Uint8Array(event.data);
      for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
      window.__received.push(btoa(text));
    }
  });
  const send = ws.send.bind(ws);
  ws.send = (data) => { if (typeof data === "string") window.__sent.push(data); return send(data); };
  return ws;
};
window.WebSocket.prototype = Native.prototype;
"""


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    def __init__(self, executable: str, profile: Path, size: tuple[int, int] = (1600, 1000)) -> None:
        self.proc = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0",
             f"--window-size={size[0]},{size[1]}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        self._ids = itertools.count(1)
        self._session: aiohttp.ClientSession | None = None
        self._ws: Any = None

    async def _devtools_url(self, timeout: float = 30.0) -> str:
        assert self.proc.stderr is not None
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            line = await asyncio.wait_for(loop.run_in_executor(None, self.proc.stderr.readline), timeout)
            found = re.search(r"DevTools listening on (ws://\S+)", line)
            if found:
                return found.group(1)
            if not line and self.proc.poll() is not None:
                break
        raise RuntimeError("chromium did not start its DevTools endpoint")

    async def open(self, url: str) -> None:
        browser_url = await self._devtools_url()
        port = browser_url.split(":")[2].split("/")[0]
        self._session = aiohttp.ClientSession()
        async with self._session.get(f"http://127.0.0.1:{port}/json/list") as resp:
            pages = [t for t in await resp.json() if t["type"] == "page"]
        self._ws = await self._session.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0)
        await self.send("Page.enable")
        await self.send("Page.addScriptToEvaluateOnNewDocument", source=RECORDER)
        await self.send("Page.navigate", url=url)

    async def send(self, method: str, **params: Any) -> dict[str, Any]:
        ident = next(self._ids)
        await self._ws.send_str(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads((await self._ws.receive()).data)
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result") or {})

    async def evaluate(self, expression: str) -> Any:
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def received(self) -> bytes:
        chunks = await self.evaluate("window.__received || []") or []
        return b"".join(base64.b64decode(chunk) for chunk in chunks)

    async def sent(self) -> list[Any]:
        return [json.loads(text) for text in await self.evaluate("window.__sent || []") or []]

    async def focus_terminal(self) -> None:
        """Click into the page, as a person would before typing (xterm.js takes the focus)."""
        for kind in ("mousePressed", "mouseReleased"):
            await self.send("Input.dispatchMouseEvent", type=kind, x=400, y=300, button="left", clickCount=1)

    async def press(self, text: str) -> None:
        """Type ``text`` as key presses into the focused page (xterm.js gets them)."""
        for char in text:
            await self.send("Input.dispatchKeyEvent", type="keyDown", text=char, key=char)
            await self.send("Input.dispatchKeyEvent", type="keyUp", key=char)

    async def key(self, key: str, code: int) -> None:
        """A special key (Escape, Enter, arrows) by its key name and Windows key code."""
        for kind in ("rawKeyDown", "keyUp"):
            await self.send("Input.dispatchKeyEvent", type=kind, key=key, windowsVirtualKeyCode=code)

    async def screenshot(self, path: Path) -> None:
        data = (await self.send("Page.captureScreenshot", format="png"))["data"]
        path.write_bytes(base64.b64decode(data))

    async def close(self) -> None:
        if self._ws is not None:
            await self._ws.close()
        if self._session is not None:
            await self._session.close()
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TEXTUAL_THEME")}
