import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 standing in for the center's two enforcement endpoints (the real ones
/// live on the center's branch): `GET /api/v1/enforcement` answers what the test set, `POST
/// /api/v1/enforcement/report` records the body; `POST /api/v1/ingest` is answered as scripted (by default 200).
/// A thread per connection, so concurrent requests overlap; `Connection: close`.
// @unchecked Sendable: every mutable property is guarded by `lock`; the accept loop runs on its own thread.
final class FakeCenter: @unchecked Sendable {
    struct Request {
        var method: String
        var path: String
        var authorization: String?
        var body: String
        /// Bytes of the body as sent.
        var bodyLength: Int
    }

    /// How one `POST /api/v1/ingest` is answered: its status, after a delay.
    struct IngestAnswer {
        var status: Int
        var delayMillis = 0
    }

    /// What happened to ingest requests, in order: `arrived` when a request was read, `answered` when its answer
    /// was sent; `bodyLength` tells the batches apart.
    enum IngestEvent: Equatable {
        case arrived(bodyLength: Int)
        case answered(bodyLength: Int, status: Int)
    }

    let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var document: (status: Int, body: String) = (503, "{}")
    private var requests: [Request] = []
    private var ingestScript: (@Sendable (Request, Int) -> IngestAnswer)?
    private var ingestCount = 0
    private var ingestLog: [IngestEvent] = []
    private var stopped = false

    init() throws {
        listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw TestFailure("socket") }
        var yes: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let listener = self.listener
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(listener, pointer, length) == 0 && getsockname(listener, pointer, &length) == 0
            }
        }
        guard bound, listen(listener, 16) == 0 else { throw TestFailure("bind/listen") }
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in self.serve() }
        thread.start()
    }

    var url: String { "http://127.0.0.1:\(port)" }

    /// Sets the answer of `GET /api/v1/enforcement`.
    func answer(status: Int, body: String) {
        lock.lock()
        document = (status, body)
        lock.unlock()
    }

    /// Scripts the answers of `POST /api/v1/ingest`: called with the request and how many ingest requests arrived
    /// before it (on the connection's thread, so it may look at files).
    func scriptIngest(_ script: @escaping @Sendable (Request, Int) -> IngestAnswer) {
        lock.lock()
        ingestScript = script
        lock.unlock()
    }

    var ingestEvents: [IngestEvent] {
        lock.lock()
        defer { lock.unlock() }
        return ingestLog
    }

    var received: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return requests
    }

    var reports: [[String: Any]] {
        received.filter { $0.method == "POST" && $0.path == "/api/v1/enforcement/report" }.compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any]
        }
    }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    private func serve() {
        while true {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                lock.lock()
                let done = stopped
                lock.unlock()
                if done { return }
                continue
            }
            Thread { [self] in
                handle(connection)
                close(connection)
            }.start()
        }
    }

    private func handle(_ connection: Int32) {
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        var headerEnd: Int?
        var contentLength = 0
        while true {
            if headerEnd == nil, let range = Self.find(separator, in: data) {
                headerEnd = range
                let head = String(decoding: data[0..<range], as: UTF8.self)
                for line in head.split(separator: "\r\n").dropFirst() {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].lowercased() == "content-length" {
                        contentLength = Int(parts[1].trimmingCharacters(in: .whitespaces)) ?? 0
                    }
                }
            }
            if let end = headerEnd, data.count >= end + 4 + contentLength { break }
            let n = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            data.append(contentsOf: buffer[0..<n])
        }
        guard let end = headerEnd else { return }
        let head = String(decoding: data[0..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n")
        let requestLine = lines.first.map { $0.split(separator: " ") } ?? []
        guard requestLine.count >= 2 else { return }
        var authorization: String?
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "authorization" {
                authorization = parts[1].trimmingCharacters(in: .whitespaces)
            }
        }
        let request = Request(
            method: String(requestLine[0]), path: String(requestLine[1]), authorization: authorization,
            body: String(decoding: data[(end + 4)..<(end + 4 + contentLength)], as: UTF8.self),
            bodyLength: contentLength)
        lock.lock()
        requests.append(request)
        var answer: (Int, String)
        var ingest: (script: (@Sendable (Request, Int) -> IngestAnswer)?, index: Int)?
        switch (request.method, request.path) {
        case ("GET", "/api/v1/enforcement"): answer = document
        case ("POST", "/api/v1/enforcement/report"): answer = (200, #"{"status":"recorded"}"#)
        case ("POST", "/api/v1/ingest"):
            answer = (200, #"{"status":"accepted"}"#)
            ingest = (ingestScript, ingestCount)
            ingestCount += 1
            ingestLog.append(.arrived(bodyLength: contentLength))
        default: answer = (404, #"{"error":"not found"}"#)
        }
        lock.unlock()
        if let ingest {
            if let script = ingest.script {
                let scripted = script(request, ingest.index)
                if scripted.delayMillis > 0 { Thread.sleep(forTimeInterval: Double(scripted.delayMillis) / 1000) }
                if scripted.status != 200 { answer = (scripted.status, #"{"error":"scripted"}"#) }
            }
            lock.lock()
            ingestLog.append(.answered(bodyLength: contentLength, status: answer.0))
            lock.unlock()
        }
        let body = Array(answer.1.utf8)
        let response =
            Array(
                "HTTP/1.1 \(answer.0) X\r\nContent-Type: application/json\r\nContent-Length: \(body.count)\r\nConnection: close\r\n\r\n"
                    .utf8) + body
        _ = response.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for index in 0...(haystack.count - needle.count)
        where haystack[index..<(index + needle.count)].elementsEqual(needle) {
            return index
        }
        return nil
    }
}
