import { test } from "node:test";
import assert from "node:assert/strict";
import { ResponseParser, type ParsedResponse } from "../../../../platforms/http/response-parser";

/** Feeds `text` one slice at a time (every split point a server or the network might produce). */
function feedInPieces(text: string, size: number): ParsedResponse[] {
  const parser = new ResponseParser();
  const out: ParsedResponse[] = [];
  const bytes = Buffer.from(text, "latin1");
  for (let i = 0; i < bytes.length; i += size) {
    let done = parser.feed(bytes.subarray(i, i + size));
    // Two answers may sit in one slice (pipelined): feeding nothing more yields the next.
    while (done) {
      out.push(done);
      done = parser.feed(Buffer.alloc(0));
    }
  }
  return out;
}

const LENGTH =
  'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nX-A: 1\r\nx-a: 2\r\n\r\n{"ok":true}';
const CHUNKED =
  "HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nTrailer: x\r\n\r\n";

test("content-length and chunked bodies parse the same at every split size", () => {
  for (const size of [1, 2, 3, 7, 16, 1000]) {
    const [a, b] = feedInPieces(LENGTH + CHUNKED, size);
    assert.equal(a.status, 200);
    assert.equal(a.body.toString(), '{"ok":true}');
    assert.equal(a.headers["content-type"], "application/json");
    assert.equal(a.headers["x-a"], "1, 2", "repeated headers are joined");
    assert.equal(a.keepAlive, true);
    assert.equal(b.status, 201);
    assert.equal(b.statusText, "Created");
    assert.equal(b.body.toString(), "hello, world");
  }
});

test("100 Continue is skipped; 204 has no body; Connection: close and HTTP/1.0 end keep-alive", () => {
  const [answer] = feedInPieces(
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n",
    4,
  );
  assert.equal(answer.status, 204);
  assert.equal(answer.body.length, 0);
  assert.equal(answer.keepAlive, false);
  const [old] = feedInPieces("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nhi", 100);
  assert.equal(old.keepAlive, false);
});

test("without a length the body runs until the connection closes", () => {
  const parser = new ResponseParser();
  assert.equal(parser.feed(Buffer.from("HTTP/1.1 200 OK\r\n\r\n<html>")), null);
  assert.equal(parser.feed(Buffer.from("</html>")), null);
  const done = parser.end();
  assert.equal(done?.body.toString(), "<html></html>");
  assert.equal(done?.keepAlive, false);
});

test("a cut-off answer is not complete; garbage throws", () => {
  const parser = new ResponseParser();
  parser.feed(Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"));
  assert.equal(parser.end(), null);
  assert.equal(parser.started, true);
  assert.throws(() => new ResponseParser().feed(Buffer.from("SSH-2.0-OpenSSH\r\n\r\n")), /status line/);
  assert.throws(
    () => new ResponseParser().feed(Buffer.from("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n")),
    /content-length/,
  );
});
