import YujingParsing

/// The agent's configuration (`yujing agent --config Agents/<node>.yaml`).
public struct AgentConfiguration: Sendable, Equatable {
    /// Agent name: sent with every batch; the center deduplicates on (agent, batch id).
    public var name: String
    /// Node name stamped on access events (default: the agent name).
    public var node: String
    /// Base URL of the center, e.g. `http://127.0.0.1:8640`.
    public var centerURL: String
    /// The agent token (from `token` or read from `token_file`). Never logged.
    public var token: String
    /// PEM file of the CA that signs the center's certificate (https only).
    public var caFile: String?
    /// HTTP request timeout, milliseconds.
    public var requestTimeoutMillis: Int = 10_000
    /// TCP connect timeout, milliseconds: how fast an unreachable center is noticed.
    public var connectTimeoutMillis: Int = 2_000
    /// Key file for keyed hashes of identifiers (created when missing).
    public var keyFile: String
    /// Directory for checkpoints and the scanned-hash list.
    public var checkpointDirectory: String
    /// Directory of the disk spool.
    public var spoolDirectory: String
    /// Spool size at which reading stops (backpressure), bytes.
    public var spoolMaxBytes: Int64 = 256 * 1024 * 1024
    /// Events per batch at most.
    public var batchMaxEvents: Int = 1_000
    /// Longest wait before a partial batch is sent, milliseconds.
    public var batchMaxWaitMillis: Int = 200
    /// Batches on the wire at once (HTTP requests awaiting the center's answer). Outcomes are still taken in order,
    /// so the checkpoint only covers acknowledged lines; more than one lets a center with several cores evaluate one
    /// batch while it commits the previous one (as Filebeat's `pipelining`).
    public var batchMaxInFlight: Int = 2
    /// First retry delay, milliseconds (doubled per failure, full jitter).
    public var retryInitialMillis: Int = 100
    /// Longest retry delay, milliseconds.
    public var retryMaxMillis: Int = 5_000
    /// Heartbeat interval, seconds.
    public var heartbeatSeconds: Int = 30
    /// Lines longer than this are cut to it, counted and logged, bytes.
    public var maxLineBytes: Int = 64 * 1024
    /// How often files are checked for new data when idle, milliseconds.
    public var pollMillis: Int = 100
    /// How often dataset folders are scanned for new or changed files, milliseconds.
    public var datasetPollMillis: Int = 1_000
    /// Minimum confidence of reported findings.
    public var minConfidence: Double = 0.5
    /// Access-log sources.
    public var accessLogs: [AccessLogSource] = []
    /// Dataset release folders.
    public var datasets: [DatasetSource] = []
    /// Local enforcement of withdrawals and restrictions (quarantine, nginx), when configured.
    public var enforcement: EnforcementConfiguration?

    /// Creates a configuration.
    /// - Parameters:
    ///   - name: Agent name.
    ///   - centerURL: Base URL of the center.
    ///   - token: Agent token.
    ///   - keyFile: Key file for keyed hashes.
    ///   - checkpointDirectory: Checkpoint directory.
    ///   - spoolDirectory: Spool directory.
    public init(
        name: String, centerURL: String, token: String, keyFile: String, checkpointDirectory: String,
        spoolDirectory: String
    ) {
        self.name = name
        self.node = name
        self.centerURL = centerURL
        self.token = token
        self.keyFile = keyFile
        self.checkpointDirectory = checkpointDirectory
        self.spoolDirectory = spoolDirectory
    }
}
