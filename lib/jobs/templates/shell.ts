/**
 * A shell over HTTP: POST /exec with a command line as the body runs it with `sh -c` in the job (its working
 * folder, its files, its GPUs) and streams what it prints as it comes; each command gets EXEC_SECONDS at most.
 * The job page's terminal (and curl, with the access token) is its client: no SSH keys, no open port, the same
 * token and route as every service.
 */
export const SHELL_SERVER = String.raw`
const http = require("node:http");
const { spawn } = require("node:child_process");
const LIMIT = 64 * 1024, SECONDS = Number(process.env.EXEC_SECONDS || 300);
http.createServer((req, res) => {
  const path = req.url.split("?")[0];
  if (req.method === "GET" && path === "/") { res.writeHead(200, { "content-type": "text/plain" }); return res.end("POST /exec with a command line as the body\n"); }
  if (req.method !== "POST" || path !== "/exec") { res.writeHead(404, { "content-type": "text/plain" }); return res.end("no " + req.method + " " + path + " here\n"); }
  const chunks = []; let size = 0;
  req.on("data", (c) => { size += c.length; if (size > LIMIT) { res.writeHead(413); res.end("the command is over 64 KiB\n"); req.destroy(); } else chunks.push(c); });
  req.on("end", () => {
    const line = Buffer.concat(chunks).toString("utf8");
    res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-cache" });
    const child = spawn("sh", ["-c", line], { cwd: process.env.HOURGLASS_OUTPUTS || process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => child.kill("SIGKILL"), SECONDS * 1000);
    child.stdout.on("data", (d) => res.write(d));
    child.stderr.on("data", (d) => res.write(d));
    res.on("close", () => child.kill("SIGKILL"));
    child.on("error", (e) => { clearTimeout(timer); res.end("error: " + e.message + "\n"); });
    child.on("close", (code, signal) => { clearTimeout(timer); res.end("[exit " + (signal || code) + "]\n"); });
  });
}).listen(Number(process.env.HOURGLASS_PORT_8000 || 8000), "0.0.0.0", () => console.log("shell serving on port 8000: POST /exec"));
`;
