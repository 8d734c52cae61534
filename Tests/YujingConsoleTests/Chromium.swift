import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Real headless Chromium driven over the DevTools protocol through `--remote-debugging-pipe` (requests on fd 3,
/// answers on fd 4, NUL-terminated JSON), so no WebSocket library is needed. A missing Chromium fails the test.
final class Chromium: Sendable {
    struct CDPError: Error, CustomStringConvertible {
        var description: String
    }

    let pid: pid_t
    let toBrowser: Int32
    let fromBrowser: Int32
    let profile: URL
    let logPath: String
    private let pending = Mutex<[Int: CheckedContinuation<Data, any Error>]>([:])
    private let nextID = Mutex(0)
    private let sessionID = Mutex<String?>(nil)
    private let closed = Mutex(false)

    static func locate(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let candidates = [ProcessInfo.processInfo.environment["CHROMIUM_BIN"], "/usr/bin/chromium", "/usr/bin/chromium-browser"]
        for case let path? in candidates where FileManager.default.isExecutableFile(atPath: path) { return path }
        try #require(Bool(false), "chromium not found: install the Debian package `chromium` (scripts/install-deps.sh --test)",
            sourceLocation: sourceLocation)
        return ""
    }

    /// Starts Chromium with a fresh profile and attaches to its first page.
    init(acceptLanguage: String) async throws {
        let binary = try Self.locate()
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("yujing-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        logPath = profile.appendingPathComponent("chromium.log").path
        var commands: [Int32] = [0, 0]
        var answers: [Int32] = [0, 0]
        guard pipe(&commands) == 0, pipe(&answers) == 0 else { throw CDPError(description: "pipe failed") }
        // Move every end above the fds the child uses (3, 4), close-on-exec in the parent.
        func high(_ fd: Int32) -> Int32 {
            let moved = fcntl(fd, F_DUPFD_CLOEXEC, Int32(100))
            Glibc.close(fd)
            return moved
        }
        let childRead = high(commands[0])
        toBrowser = high(commands[1])
        fromBrowser = high(answers[0])
        let childWrite = high(answers[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, childRead, 3)
        posix_spawn_file_actions_adddup2(&actions, childWrite, 4)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, logPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        let arguments = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
            "--user-data-dir=\(profile.path)", "--window-size=1280,900", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--accept-lang=\(acceptLanguage)",
            "about:blank",
        ]
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, binary, &actions, nil, &argv, environ)
        Glibc.close(childRead)
        Glibc.close(childWrite)
        guard status == 0 else { throw CDPError(description: "posix_spawn chromium: \(status)") }
        pid = child
        startReader()
        let targets = try await call("Target.getTargets", [:], session: false)
        let infos = (targets["targetInfos"] as? [[String: Any]]) ?? []
        guard let page = infos.first(where: { $0["type"] as? String == "page" }), let targetID = page["targetId"] as? String
        else { throw CDPError(description: "no page target") }
        let attached = try await call(
            "Target.attachToTarget", ["targetId": targetID, "flatten": true], session: false)
        guard let session = attached["sessionId"] as? String else { throw CDPError(description: "attach failed") }
        sessionID.withLock { $0 = session }
        _ = try await call("Page.enable", [:])
        _ = try await call(
            "Emulation.setDeviceMetricsOverride",
            ["width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false])
    }

    private func startReader() {
        let fd = fromBrowser
        let thread = Thread { [self] in
            var buffer = Data()
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = read(fd, &chunk, chunk.count)
                if count <= 0 { break }
                buffer.append(contentsOf: chunk[0..<count])
                while let end = buffer.firstIndex(of: 0) {
                    let message = buffer[buffer.startIndex..<end]
                    buffer = Data(buffer[(end + 1)...])
                    deliver(Data(message))
                }
            }
            failAll(CDPError(description: "chromium closed the pipe"))
        }
        thread.start()
    }

    private func deliver(_ message: Data) {
        guard let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any],
            let id = object["id"] as? Int
        else { return }  // events are not needed: the driver polls the page
        let continuation = pending.withLock { $0.removeValue(forKey: id) }
        continuation?.resume(returning: message)
    }

    private func failAll(_ error: any Error) {
        let all = pending.withLock { table -> [CheckedContinuation<Data, any Error>] in
            let values = Array(table.values)
            table.removeAll()
            return values
        }
        for continuation in all { continuation.resume(throwing: error) }
    }

    /// Sends one command and waits (up to 30 s) for its answer's `result`.
    func call(_ method: String, _ params: [String: Any], session: Bool = true) async throws -> [String: Any] {
        let id = nextID.withLock { value -> Int in
            value += 1
            return value
        }
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if session, let sessionID = sessionID.withLock({ $0 }) { message["sessionId"] = sessionID }
        let payload = try JSONSerialization.data(withJSONObject: message) + Data([0])
        let answer: Data = try await withCheckedThrowingContinuation { continuation in
            pending.withLock { $0[id] = continuation }
            let written = payload.withUnsafeBytes { write(toBrowser, $0.baseAddress, $0.count) }
            if written != payload.count {
                let waiting = pending.withLock { $0.removeValue(forKey: id) }
                waiting?.resume(throwing: CDPError(description: "write to chromium failed"))
                return
            }
            Task {
                try? await Task.sleep(for: .seconds(30))
                let waiting = pending.withLock { $0.removeValue(forKey: id) }
                waiting?.resume(throwing: CDPError(description: "\(method): no answer in 30 s"))
            }
        }
        let object = (try JSONSerialization.jsonObject(with: answer) as? [String: Any]) ?? [:]
        if let error = object["error"] as? [String: Any] {
            throw CDPError(description: "\(method): \(error["message"] ?? error)")
        }
        return (object["result"] as? [String: Any]) ?? [:]
    }

    /// Evaluates JavaScript in the page and returns its value (JSON-compatible).
    func evaluate(_ expression: String) async throws -> Any? {
        let result = try await call(
            "Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = result["exceptionDetails"] as? [String: Any] {
            throw CDPError(description: "JS exception in `\(expression.prefix(80))`: \(exception["text"] ?? "")")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    func string(_ expression: String) async throws -> String { (try await evaluate(expression) as? String) ?? "" }

    /// Runs a script that makes the page navigate (a click, a submit, `location = ...`) and waits for the next
    /// document to finish loading.
    func navigating(_ script: String, timeout: Double = 20) async throws {
        _ = try await evaluate("window.__yujingOld = true; setTimeout(function () { \(script) }, 0); true")
        try await waitFor("window.__yujingOld === undefined && document.readyState === 'complete'", timeout: timeout)
    }

    func open(_ url: String) async throws {
        try await navigating("location.href = \(Self.quote(url));")
    }

    func click(_ selector: String) async throws {
        let exists = try await evaluate("document.querySelector(\(Self.quote(selector))) !== null") as? Bool ?? false
        guard exists else {
            throw CDPError(description: "no element \(selector) on \(try await string("location.href"))")
        }
        try await navigating("document.querySelector(\(Self.quote(selector))).click();")
    }

    /// Polls a condition until it is true (navigation errors in between are ignored).
    func waitFor(_ condition: String, timeout: Double = 20) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if (try? await evaluate("!!(\(condition))")) as? Bool == true { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CDPError(description: "timed out waiting for \(condition) on \(try await string("location.href"))")
    }

    /// Saves a PNG of the viewport; returns the path.
    @discardableResult
    func screenshot(_ name: String) async throws -> String {
        let result = try await call("Page.captureScreenshot", ["format": "png"])
        guard let base64 = result["data"] as? String, let data = Data(base64Encoded: base64) else {
            throw CDPError(description: "no screenshot data")
        }
        let directory = Self.artefactDirectory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try data.write(to: file)
        print("screenshot: \(file.path)")
        return file.path
    }

    /// All cookies of the browser.
    func cookies() async throws -> [[String: Any]] {
        let result = try await call("Storage.getCookies", [:], session: false)
        return (result["cookies"] as? [[String: Any]]) ?? []
    }

    static var artefactDirectory: URL {
        if let explicit = ProcessInfo.processInfo.environment["YUJING_TEST_ARTIFACTS"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit)
        }
        return ConsoleTestDaemon.repositoryRoot.appendingPathComponent(".build/test-artifacts/console")
    }

    static func quote(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    /// Closes the browser and removes its profile.
    func close() async {
        guard !closed.withLock({ value -> Bool in
            defer { value = true }
            return value
        }) else { return }
        _ = try? await call("Browser.close", [:], session: false)
        let deadline = Date().addingTimeInterval(5)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                break
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        Glibc.close(toBrowser)
        try? FileManager.default.removeItem(at: profile)
    }
}
