/// How restrictions and withdrawals reach nginx: two generated include files, a test and a reload command.
public struct NginxEnforcement: Sendable, Equatable {
    /// Included at `http {}` level: `geo`/`map` blocks and `limit_req_zone` lines.
    public var httpInclude: String
    /// Included in each `server {}` that serves datasets: `if (...) { return ...; }` and `limit_req` lines.
    public var serverInclude: String
    /// Checks the whole configuration (argv, no shell); a non-zero exit rolls the include files back.
    public var testCommand: [String] = ["nginx", "-t", "-q"]
    /// Makes nginx load the new configuration (argv, no shell).
    public var reloadCommand: [String] = ["nginx", "-s", "reload"]
    /// The nginx variable holding each subject kind: `app_key`, `user` (no default) and `ip` (`$remote_addr`).
    public var subjectVariables: [String: String] = ["ip": "$remote_addr"]
    /// HTTP status for URLs of withdrawn datasets (403, 404 or 410).
    public var withdrawnStatus: Int = 404
    /// Requests a throttled subject may make above its rate before nginx answers 429 (`limit_req burst`).
    public var throttleBurst: Int = 5
    /// Longest run of the test or reload command before it is killed, milliseconds.
    public var commandTimeoutMillis: Int = 30_000

    /// Creates nginx settings with the default commands.
    /// - Parameters:
    ///   - httpInclude: Path of the http-level include.
    ///   - serverInclude: Path of the server-level include.
    public init(httpInclude: String, serverInclude: String) {
        self.httpInclude = httpInclude
        self.serverInclude = serverInclude
    }
}
