import CompressNIO
import Foundation
import Logging
import NIOCore
import YujingParsing

@testable import YujingAgent

/// Drives a ``LogTailer`` in-process and collects the paths of the events it produced.
final class TailerHarness {
    let directory: TestDirectory
    let metrics = AgentMetrics()
    var tailer: LogTailer
    var paths: [String] = []
    var batchIDs: [String] = []
    var lastPositions: [String: FilePosition] = [:]

    init(
        directory: TestDirectory, globs: [String], startAt: AccessLogSource.StartPosition = .beginning,
        firstRun: Bool = true, resume: [FilePosition] = [], maxLineBytes: Int = 4_096, maxEvents: Int = 1_000
    ) {
        self.directory = directory
        tailer = try! LogTailer(
            sources: [AccessLogSource(name: "test", paths: globs, startAt: startAt)], agentName: "a1", nodeName: "n1",
            maxLineBytes: maxLineBytes, maxEvents: maxEvents, resume: resume, firstRun: firstRun, metrics: metrics,
            logger: Logger(label: "test"))
    }

    /// Polls until nothing more is produced (at most `rounds` polls).
    @discardableResult
    func drain(rounds: Int = 5) throws -> [String] {
        var new: [String] = []
        for _ in 0..<rounds {
            let result = try tailer.poll(byteBudget: 1 << 20)
            for output in result.outputs {
                switch output {
                case .batch(let id, let body, let count, let position):
                    batchIDs.append(id)
                    lastPositions[position.key] = position
                    var compressed = ByteBuffer(bytes: body)
                    let json = try compressed.decompress(with: .gzip())
                    let object = try JSONSerialization.jsonObject(with: Data(json.readableBytesView)) as? [String: Any]
                    guard let object, object["agent"] as? String == "a1", object["batch_id"] as? String == id,
                        let events = object["events"] as? [Any], events.count == count
                    else { throw HarnessError.malformedBody(id) }
                    for case let event as [String: Any] in events {
                        if let path = event["path"] as? String { new.append(path) }
                    }
                case .mark(let position):
                    lastPositions[position.key] = position
                }
            }
            for start in result.starts { lastPositions[start.key] = start }
        }
        paths += new
        return new
    }

    static func line(_ tag: String, _ number: Int) -> String {
        "10.0.0.\(number % 250 + 1) - - [01/Dec/2026:02:30:00 +0000] \"GET /t/\(tag)/\(number) HTTP/1.1\" 200 512 \"-\" \"test\"\n"
    }

    static func lines(_ tag: String, _ range: Range<Int>) -> String {
        range.map { line(tag, $0) }.joined()
    }

    static func expected(_ tag: String, _ range: Range<Int>) -> [String] { range.map { "/t/\(tag)/\($0)" } }
}

enum HarnessError: Error {
    /// A batch body that is not the gzip'd `{agent, events, batch_id}` object the center expects.
    case malformedBody(String)
}

/// Appends text to a file (created when missing).
func append(_ path: String, _ text: String) throws {
    if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
    try handle.close()
}
