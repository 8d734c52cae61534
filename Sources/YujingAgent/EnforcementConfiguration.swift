/// Local enforcement of the center's response measures (the `enforcement:` section of the agent YAML):
/// withdrawn datasets' files are moved into a quarantine folder, and restrictions and withdrawals are rendered
/// into nginx include files that are tested and reloaded atomically.
public struct EnforcementConfiguration: Sendable, Equatable {
    /// How often the agent fetches `GET /api/v1/enforcement`, milliseconds.
    public var pollMillis: Int = 1_000
    /// Withdrawn dataset files are moved to `<quarantine_dir>/<dataset>/<path relative to the source root>`.
    public var quarantineDirectory: String
    /// Whether a restore moves the quarantined files back (default false: the leaking version stays in quarantine
    /// as evidence; the re-desensitized version the owner published is what is served again). Set it only where
    /// files are cleaned in place in the quarantine folder.
    public var restoreFiles: Bool = false
    /// nginx enforcement, when this node runs nginx.
    public var nginx: NginxEnforcement?

    /// Creates a configuration.
    /// - Parameters:
    ///   - quarantineDirectory: The quarantine folder (absolute, outside every watched dataset pattern).
    ///   - pollMillis: Poll interval, milliseconds.
    ///   - nginx: nginx settings, or nil when this node does not run nginx.
    public init(quarantineDirectory: String, pollMillis: Int = 1_000, nginx: NginxEnforcement? = nil) {
        self.quarantineDirectory = quarantineDirectory
        self.pollMillis = pollMillis
        self.nginx = nginx
    }
}
