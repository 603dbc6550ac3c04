import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One Server-Sent Event as a client sees it.
struct ServerSentEvent: Sendable, Equatable {
    var id: String?
    var event: String?
    var data: String
}

enum SSEClientError: Error, CustomStringConvertible {
    case socket(String)
    case badResponse(String)

    var description: String {
        switch self {
        case .socket(let message): "socket: \(message)"
        case .badResponse(let message): "bad response: \(message)"
        }
    }
}

/// A minimal HTTP/1.1 client for an endless `text/event-stream` response over a plain TCP socket:
/// sends one GET, parses the head, de-chunks the body and splits it into events. Blocking reads
/// run on a dispatch queue, never on the cooperative pool.
final class SSEClient: @unchecked Sendable {
    // @unchecked: every mutable member is touched only on `queue`.
    private let fd: Int32
    private let queue = DispatchQueue(label: "sse-client")
    private var raw: [UInt8] = []
    private var body: [UInt8] = []
    private var headParsed = false
    private var chunked = false
    private(set) var status = 0
    private(set) var headers: [String: String] = [:]
    private var closed = false
    /// The server ended the body (a zero-size chunk, or closed the connection).
    private var ended = false

    init(port: Int, path: String, headers: [String: String]) throws {
        #if canImport(Darwin)
        fd = socket(AF_INET, SOCK_STREAM, 0)
        #else
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
        guard fd >= 0 else { throw SSEClientError.socket("socket() failed: \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            closeSocket(fd)
            throw SSEClientError.socket("connect() failed: \(errno)")
        }
        // Reads wake at least every 100 ms so a waiting read notices its deadline.
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else {
                closeSocket(fd)
                throw SSEClientError.socket("send() failed: \(errno)")
            }
            sent += n
        }
    }

    deinit { if !closed { closeSocket(fd) } }

    func close() {
        queue.sync {
            if !closed {
                closed = true
                _ = shutdown(fd, Int32(SHUT_RDWR))
                closeSocket(fd)
            }
        }
    }

    /// Waits for the response head (status and headers).
    func waitForHead(timeout: Duration) async throws {
        try await onQueue(timeout: timeout) { client in client.headParsed ? () : nil }
        if status == 0 { throw SSEClientError.badResponse("no response head within \(timeout)") }
    }

    /// The next complete event (blocks that only set `retry:` are skipped), or nil after `timeout`.
    func nextEvent(timeout: Duration) async throws -> ServerSentEvent? {
        try await onQueue(timeout: timeout) { client in client.takeEvent() }
    }

    /// Waits until the server ends the stream (true) or `timeout` passes (false); events still
    /// arriving before the end are read and dropped.
    func waitForEnd(timeout: Duration) async -> Bool {
        let ended = try? await onQueue(timeout: timeout) { client -> Bool? in
            while client.takeEvent() != nil {}
            return client.ended ? true : nil
        }
        return ended == true || self.hasEnded
    }

    private var hasEnded: Bool { queue.sync { ended } }

    /// Reads until `take` returns a value or the deadline passes (nil then).
    private func onQueue<T: Sendable>(timeout: Duration, _ take: @escaping @Sendable (SSEClient) -> T?) async throws -> T? {
        let deadline = DispatchTime.now() + .milliseconds(Int(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000))
        return try await withCheckedThrowingContinuation { continuation in
            queue.async {
                do {
                    while true {
                        if let value = take(self) { return continuation.resume(returning: value) }
                        if DispatchTime.now() >= deadline || self.closed { return continuation.resume(returning: nil) }
                        try self.readSome()
                    }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    /// One read(); a timeout is not an error, the end of the stream is.
    private func readSome() throws {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n > 0 {
            raw += chunk[0..<n]
            try parse()
        } else if n == 0 {
            ended = true
            throw SSEClientError.badResponse("the server closed the stream")
        } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
            throw SSEClientError.socket("recv() failed: \(errno)")
        }
    }

    private func parse() throws {
        if !headParsed {
            guard let end = Self.find([13, 10, 13, 10], in: raw) else { return }
            let head = String(decoding: raw[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
            raw.removeFirst(end + 4)
            let statusLine = head.first?.split(separator: " ") ?? []
            guard statusLine.count >= 2, let code = Int(statusLine[1]) else {
                throw SSEClientError.badResponse("status line \(head.first ?? "")")
            }
            status = code
            for line in head.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            chunked = headers["transfer-encoding"]?.lowercased().contains("chunked") == true
            headParsed = true
        }
        if !chunked {
            body += raw
            raw.removeAll()
            return
        }
        while let lineEnd = Self.find([13, 10], in: raw) {
            let sizeText = String(decoding: raw[0..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else {
                throw SSEClientError.badResponse("chunk size \(sizeText)")
            }
            guard raw.count >= lineEnd + 2 + size + 2 else { return }
            body += raw[(lineEnd + 2)..<(lineEnd + 2 + size)]
            raw.removeFirst(lineEnd + 2 + size + 2)
            if size == 0 {
                ended = true
                return
            }
        }
    }

    /// Removes and returns the first complete event with data from the de-chunked body.
    private func takeEvent() -> ServerSentEvent? {
        while true {
            guard let end = Self.find([10, 10], in: body) else { return nil }
            let block = String(decoding: body[0..<end], as: UTF8.self)
            body.removeFirst(end + 2)
            var event = ServerSentEvent(id: nil, event: nil, data: "")
            var hasData = false
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") { continue }
                let (field, value): (Substring, Substring)
                if let colon = line.firstIndex(of: ":") {
                    field = line[..<colon]
                    var rest = line[line.index(after: colon)...]
                    if rest.hasPrefix(" ") { rest = rest.dropFirst() }
                    value = rest
                } else {
                    field = line
                    value = ""
                }
                switch field {
                case "id": event.id = String(value)
                case "event": event.event = String(value)
                case "data":
                    event.data += (hasData ? "\n" : "") + value
                    hasData = true
                default: break
                }
            }
            if hasData { return event }
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return start }
        }
        return nil
    }
}

private func closeSocket(_ fd: Int32) {
    #if canImport(Darwin)
    _ = Darwin.close(fd)
    #elseif canImport(Musl)
    _ = Musl.close(fd)
    #else
    _ = Glibc.close(fd)
    #endif
}
