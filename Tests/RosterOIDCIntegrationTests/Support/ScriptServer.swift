import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP(S) server from Python's standard library, for the HTTP client's limits: `/json`
/// answers a small document, `/big` 2 MiB with a Content-Length, `/big-stream` 2 MiB without
/// one, `/slow` after 5 seconds. With a certificate it speaks TLS only.
final class ScriptServer: Sendable {
    let port: Int
    let folder: URL
    private let process: Mutex<Process?>

    static let script = """
        import http.server, ssl, sys, time
        port = int(sys.argv[1])
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/slow":
                    time.sleep(5)
                if self.path.startswith("/big"):
                    body = b"x" * (2 * 1024 * 1024)
                else:
                    body = b'{"ok": true}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                if self.path != "/big-stream":
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for start in range(0, len(body), 65536):
                    self.wfile.write(body[start:start + 65536])
            def log_message(self, *args):
                pass
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        if len(sys.argv) > 3:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(sys.argv[2], sys.argv[3])
            server.socket = context.wrap_socket(server.socket, server_side=True)
        print("ready", flush=True)
        server.serve_forever()
        """

    var url: String { "http://127.0.0.1:\(port)" }
    var httpsURL: String { "https://127.0.0.1:\(port)" }
    var certificate: String { folder.appendingPathComponent("cert.pem").path }

    /// Starts the server, with a fresh self-signed certificate for 127.0.0.1 when `tls` is set.
    init(tls: Bool = false) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let scriptFile = folder.appendingPathComponent("server.py")
        try Self.script.write(to: scriptFile, atomically: true, encoding: .utf8)
        port = try MockProvider.freePort()
        var arguments = [scriptFile.path, String(port)]
        if tls {
            let key = folder.appendingPathComponent("key.pem").path
            let openssl = Process()
            openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            openssl.arguments = [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out",
                folder.appendingPathComponent("cert.pem").path, "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1",
            ]
            openssl.standardOutput = FileHandle.nullDevice
            openssl.standardError = FileHandle.nullDevice
            try openssl.run()
            openssl.waitUntilExit()
            guard openssl.terminationStatus == 0 else {
                throw ProviderError("openssl could not make a test certificate; run scripts/install-deps --test")
            }
            arguments += [folder.appendingPathComponent("cert.pem").path, key]
        }
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3"] + arguments
        let output = Pipe()
        python.standardOutput = output
        python.standardError = FileHandle.nullDevice
        python.standardInput = FileHandle.nullDevice
        try python.run()
        process = Mutex(python)
        // The script says "ready" once it listens.
        let ready = output.fileHandleForReading.availableData
        guard String(decoding: ready, as: UTF8.self).hasPrefix("ready") else {
            stop()
            throw ProviderError("the test HTTP server did not start (python3 missing?)")
        }
    }

    func stop() {
        process.withLock { process in
            guard let running = process else { return }
            kill(running.processIdentifier, SIGKILL)
            running.waitUntilExit()
            process = nil
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
