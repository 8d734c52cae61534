import Foundation
import Testing

@testable import YujingAgent

#if canImport(Glibc)
    import Glibc
#endif

/// A real nginx (Debian's `/usr/sbin/nginx`, or `$NGINX_BIN`) on 127.0.0.1 and a free port, with its own prefix,
/// configuration, pid file and logs in a test directory, serving `<dir>/www` and including the agent's two
/// generated files. A missing nginx fails the test, never skips it.
final class TestNginx {
    let binary: String
    let prefix: String
    let port: Int
    let root: String
    let httpInclude: String
    let serverInclude: String
    let configPath: String
    let errorLog: String
    var process: ManagedProcess?

    init(directory: TestDirectory, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let candidate =
            ProcessInfo.processInfo.environment["NGINX_BIN"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "/usr/sbin/nginx"
        try #require(
            FileManager.default.isExecutableFile(atPath: candidate),
            "nginx not found at \(candidate): apt-get install nginx (scripts/install-deps.sh --test) or set NGINX_BIN",
            sourceLocation: sourceLocation)
        binary = candidate
        prefix = try directory.makeDirectory("nginx")
        try directory.makeDirectory("nginx/logs")
        try directory.makeDirectory("nginx/temp")
        root = try directory.makeDirectory("www")
        port = try TestCenter.freePort()
        httpInclude = directory.file("nginx/yujing/http.conf")
        serverInclude = directory.file("nginx/yujing/server.conf")
        errorLog = directory.file("nginx/logs/error.log")
        configPath = try directory.write(
            "nginx/nginx.conf",
            """
            worker_processes 1;
            error_log \(errorLog) notice;
            pid \(directory.file("nginx/logs/nginx.pid"));
            events { worker_connections 64; }
            http {
                access_log \(directory.file("nginx/logs/access.log"));
                client_body_temp_path \(directory.file("nginx/temp/body"));
                proxy_temp_path \(directory.file("nginx/temp/proxy"));
                fastcgi_temp_path \(directory.file("nginx/temp/fastcgi"));
                uwsgi_temp_path \(directory.file("nginx/temp/uwsgi"));
                scgi_temp_path \(directory.file("nginx/temp/scgi"));
                include \(httpInclude);
                server {
                    listen 127.0.0.1:\(port);
                    root \(root);
                    include \(serverInclude);
                }
            }

            """)
        // Empty includes, as an installation would ship them before the agent's first apply.
        try directory.write("nginx/yujing/http.conf", "")
        try directory.write("nginx/yujing/server.conf", "")
    }

    var baseArguments: [String] { [binary, "-e", errorLog, "-p", prefix + "/", "-c", configPath] }
    var testCommand: [String] { baseArguments + ["-t", "-q"] }
    var reloadCommand: [String] { baseArguments + ["-s", "reload"] }

    /// nginx settings for the agent, pointing at this instance.
    func settings(subjectVariables: [String: String] = ["app_key": "$arg_appKey", "user": "$http_x_user_id"])
        -> NginxEnforcement
    {
        var settings = NginxEnforcement(httpInclude: httpInclude, serverInclude: serverInclude)
        settings.testCommand = testCommand
        settings.reloadCommand = reloadCommand
        settings.subjectVariables.merge(subjectVariables) { $1 }
        settings.throttleBurst = 2
        settings.commandTimeoutMillis = 20_000
        return settings
    }

    /// Runs nginx with the given extra arguments to completion.
    @discardableResult
    func run(_ extra: [String]) throws -> (Int32, String) {
        let (status, out, err) = try YujingBinary.run(binary, Array(baseArguments.dropFirst()) + extra, in: prefix)
        return (status, out + err)
    }

    /// Starts nginx in the foreground (`daemon off;`) as a child of the test and waits until it answers.
    func start() async throws {
        let process = ManagedProcess(
            binary: binary, arguments: Array(baseArguments.dropFirst()) + ["-g", "daemon off;"], directory: prefix,
            logPath: prefix + "/logs/stderr.log")
        try process.start()
        self.process = process
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if TestCenter.connects(port: port) && masterPID != nil { return }
            guard process.isRunning else { throw TestFailure("nginx exited: \(process.logText())") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("nginx does not answer on port \(port)")
    }

    var masterPID: pid_t? {
        guard let data = FileManager.default.contents(atPath: prefix + "/logs/nginx.pid") else { return nil }
        return pid_t(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func count(_ marker: String) -> Int {
        let text = (FileManager.default.contents(atPath: errorLog)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return text.components(separatedBy: marker).count - 1
    }

    /// Reloads nginx has performed so far (the master logs each SIGHUP at `notice`).
    var reloadCount: Int { count("(SIGHUP) received") }

    /// Waits until every reload has finished: the old worker (one per reload) has exited, so no request can
    /// reach a worker with the previous configuration.
    func waitUntilReloaded(seconds: Double = 10) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if count("exited with code") >= reloadCount { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TestFailure("nginx did not finish reloading: \(reloadCount) reloads")
    }

    /// Stops the instance this test started (SIGTERM to its own child process) and waits for it.
    func stop() {
        process?.terminate(timeout: 10)
    }
}
