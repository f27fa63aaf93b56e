/**
 * An OpenAI-compatible inference server (GET /v1/models, POST /v1/completions and /v1/chat/completions, streamed
 * as server-sent events when asked) for a small model shipped in the spec itself: a word-level Markov chain of
 * order two over a short corpus, sampled with a seeded generator (temperature 0 is greedy). It is a language
 * model and a real server, not a useful assistant: it shows the service path end to end on any host, CPU or GPU,
 * with any OpenAI client pointed at the job's URL and its access token as the API key. Each exchange is
 * appended to $HOURGLASS_OUTPUTS/transcript.jsonl (up to 16 MiB), which the buyer downloads once the job ends.
 */
export const INFERENCE_MODEL = "hourglass-markov-2";

const CORPUS = [
  "a job on hourglass rents gpus by the second and pays in compute credits.",
  "the buyer locks credits in escrow, the host runs the job, and the receipt pays the provider for the time it ran.",
  "one standard compute unit is one hour of the reference gpu, and every gpu class has a rating in units per hour.",
  "the pool prices every gpu class at once, so a quote is also a fill.",
  "a host proves its throughput with exact work that anyone can check on chain.",
  "a service runs inside the job and answers its buyer through the route, and the host forwards each request to it.",
  "the host keeps the outputs of a job, lists them in a manifest, and the receipt covers the manifest.",
  "a buyer can extend a running job before it ends, and the host sees the new end and keeps it running.",
  "the model is small and the answers are short, but the path from the buyer to the gpu is the real one.",
].join(" ");

export const INFERENCE_SERVER = String.raw`
const http = require("node:http");
const MODEL = ${JSON.stringify(INFERENCE_MODEL)};
const CORPUS = ${JSON.stringify(CORPUS)};
const words = CORPUS.split(/\s+/).filter(Boolean);
const next = new Map();
for (let i = 0; i + 2 < words.length; i++) {
  const key = words[i] + " " + words[i + 1];
  if (!next.has(key)) next.set(key, []);
  next.get(key).push(words[i + 2]);
}
const starts = [...next.keys()];
function rng(seed) {
  let a = seed >>> 0;
  return () => { a = (a + 0x6d2b79f5) >>> 0; let t = a; t = Math.imul(t ^ (t >>> 15), t | 1); t ^= t + Math.imul(t ^ (t >>> 7), t | 61); return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}
function* generate(prompt, maxTokens, temperature, seed) {
  const random = rng(seed);
  const said = String(prompt).toLowerCase().split(/[^a-z0-9.,]+/).filter(Boolean);
  let key = said.length >= 2 && next.has(said.at(-2) + " " + said.at(-1)) ? said.at(-2) + " " + said.at(-1) : null;
  if (!key) { const known = said.find((w) => starts.some((k) => k.startsWith(w + " "))); key = known ? starts.find((k) => k.startsWith(known + " ")) : starts[Math.floor(random() * starts.length)]; yield key; }
  for (let n = 0; n < maxTokens; n++) {
    const options = next.get(key);
    if (!options) return;
    const word = temperature === 0 ? options[0] : options[Math.floor(random() * options.length)];
    yield " " + word;
    key = key.split(" ")[1] + " " + word;
    if (word.endsWith(".") && n >= 8) return;
  }
}
const LIMIT = 1 << 20;
const fs = require("node:fs");
const TRANSCRIPT = process.env.HOURGLASS_OUTPUTS ? process.env.HOURGLASS_OUTPUTS + "/transcript.jsonl" : null;
let written = 0;
function record(prompt, text) {
  const line = JSON.stringify({ at: new Date().toISOString(), prompt, completion: text }) + "\n";
  if (!TRANSCRIPT || written + line.length > 16 << 20) return;
  written += line.length;
  fs.appendFile(TRANSCRIPT, line, () => {});
}
function fail(res, status, message) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify({ error: { message, type: "invalid_request_error" } }));
}
function answer(res, body, chat) {
  const maxTokens = Math.min(Number.isInteger(body.max_tokens) ? body.max_tokens : 64, 512);
  const temperature = typeof body.temperature === "number" ? body.temperature : 1;
  const seed = Number.isInteger(body.seed) ? body.seed : Math.floor(Math.random() * 2 ** 31);
  const prompt = chat ? (Array.isArray(body.messages) ? body.messages.map((m) => String(m && m.content)).join(" ") : "") : String(body.prompt ?? "");
  if (chat && !Array.isArray(body.messages)) return fail(res, 400, "messages must be an array");
  const id = (chat ? "chatcmpl-" : "cmpl-") + Date.now().toString(36);
  const created = Math.floor(Date.now() / 1000);
  const object = chat ? "chat.completion" : "text_completion";
  const pieces = [...generate(prompt, maxTokens, temperature, seed)];
  record(prompt, pieces.join(""));
  const usage = { prompt_tokens: prompt.split(/\s+/).filter(Boolean).length, completion_tokens: pieces.length, total_tokens: 0 };
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  if (body.stream === true) {
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    let i = 0;
    const send = () => {
      if (i < pieces.length) {
        const piece = pieces[i++];
        const choice = chat ? { index: 0, delta: i === 1 ? { role: "assistant", content: piece } : { content: piece }, finish_reason: null } : { index: 0, text: piece, finish_reason: null };
        res.write("data: " + JSON.stringify({ id, object: object + (chat ? ".chunk" : ""), created, model: MODEL, choices: [choice] }) + "\n\n");
        return setTimeout(send, 20);
      }
      const last = chat ? { index: 0, delta: {}, finish_reason: "stop" } : { index: 0, text: "", finish_reason: "stop" };
      res.write("data: " + JSON.stringify({ id, object: object + (chat ? ".chunk" : ""), created, model: MODEL, choices: [last], usage }) + "\n\n");
      res.end("data: [DONE]\n\n");
    };
    return send();
  }
  const text = pieces.join("");
  const choice = chat ? { index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" } : { index: 0, text, finish_reason: "stop" };
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ id, object, created, model: MODEL, choices: [choice], usage }));
}
http.createServer((req, res) => {
  const path = req.url.split("?")[0];
  if (req.method === "GET" && (path === "/" || path === "/health")) { res.writeHead(200, { "content-type": "text/plain" }); return res.end(MODEL + ": POST /v1/chat/completions or /v1/completions\n"); }
  if (req.method === "GET" && path === "/v1/models") { res.writeHead(200, { "content-type": "application/json" }); return res.end(JSON.stringify({ object: "list", data: [{ id: MODEL, object: "model", created: 0, owned_by: "hourglass" }] })); }
  if (req.method !== "POST" || (path !== "/v1/completions" && path !== "/v1/chat/completions")) return fail(res, 404, "no " + req.method + " " + path + " here");
  const chunks = []; let size = 0;
  req.on("data", (c) => { size += c.length; if (size > LIMIT) { fail(res, 413, "the body is over 1 MiB"); req.destroy(); } else chunks.push(c); });
  req.on("end", () => {
    let body;
    try { body = JSON.parse(Buffer.concat(chunks).toString("utf8")); } catch { return fail(res, 400, "the body is not JSON"); }
    answer(res, body || {}, path === "/v1/chat/completions");
  });
}).listen(Number(process.env.HOURGLASS_PORT_8000 || 8000), "0.0.0.0", () => console.log(MODEL + " serving on port 8000 (OpenAI-compatible)"));
`;
