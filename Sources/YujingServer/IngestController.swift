import CompressNIO
import Foundation
import Hummingbird
import NIOCore

/// `POST /api/v1/ingest`: batches from agents.
struct IngestController {
    let pipeline: Pipeline
    let metrics: ServerMetrics
    let maxBodyBytes: Int

    struct Acknowledgement: ResponseEncodable {
        var status: String
        var agent: String
        var batch_id: String
        var events: Int
        var warnings: Int
    }

    func addRoutes(to group: RouterGroup<YujingRequestContext>) {
        group.post("ingest", use: ingest)
    }

    @Sendable func ingest(request: Request, context: YujingRequestContext) async throws -> Response {
        // Agents ingest anything; drill runners (ops, datacenter) only events stamped with a drill id.
        let caller = try context.require(.ingesters.union(DrillsController.runners))
        let start = ContinuousClock.now
        var body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maxBodyBytes)
        } catch is NIOTooManyBytesError {
            metrics.batchesRejected.increment()
            throw HTTPError(.contentTooLarge, message: "body larger than \(maxBodyBytes) bytes")
        }
        if let encoding = request.headers[.contentEncoding]?.lowercased(), encoding != "identity" {
            guard encoding == "gzip" else {
                metrics.batchesRejected.increment()
                throw HTTPError(.unsupportedMediaType, message: "content-encoding \(encoding) is not supported")
            }
            do {
                body = try body.decompress(with: .gzip(), maxSize: maxBodyBytes)
            } catch let error as CompressNIOError where error == .bufferOverflow {
                metrics.batchesRejected.increment()
                throw HTTPError(.contentTooLarge, message: "decompressed body larger than \(maxBodyBytes) bytes")
            } catch {
                metrics.batchesRejected.increment()
                throw HTTPError(.badRequest, message: "body: invalid gzip data")
            }
        }
        let batch: IngestBatch
        do {
            batch = try IngestBatch.decode(Data(body.readableBytesView))
        } catch {
            metrics.batchesRejected.increment()
            throw HTTPError(.badRequest, message: "batch rejected whole: \(error.description)")
        }
        if caller.role != .agent, batch.items.contains(where: { $0.engineEvent.drillID == nil }) {
            metrics.batchesRejected.increment()
            throw HTTPError(.forbidden, message: "role \(caller.role.rawValue) may ingest drill events only")
        }
        let nowMillis = Int64(Date().timeIntervalSince1970 * 1000)
        let (outcome, changes) = try await pipeline.ingest(batch, nowMillis: nowMillis)
        metrics.ingestLatency.record(ContinuousClock.now - start)
        let ack: Acknowledgement
        switch outcome {
        case .stored(let events):
            ack = Acknowledgement(
                status: "stored", agent: batch.agent, batch_id: batch.batchID, events: events,
                warnings: changes.filter { $0.kind != .repeated }.count)
        case .duplicate:
            ack = Acknowledgement(
                status: "duplicate", agent: batch.agent, batch_id: batch.batchID, events: 0, warnings: 0)
        }
        return try ack.response(from: request, context: context)
    }
}
