import ServiceLifecycle

/// Runs the ``Shipper``: sends spooled batches until graceful shutdown, then for at most `drainSeconds` more
/// while the center answers, and saves the checkpoint of what was acknowledged.
public struct ShippingService: Service {
    let shipper: Shipper
    let drainSeconds: Double

    /// Creates the service.
    /// - Parameters:
    ///   - shipper: The shipper.
    ///   - drainSeconds: How long shutdown may spend sending what is left.
    public init(shipper: Shipper, drainSeconds: Double = 5) {
        self.shipper = shipper
        self.drainSeconds = drainSeconds
    }

    /// Ships until shutdown.
    public func run() async {
        await shipper.run(drainSeconds: drainSeconds)
    }
}
