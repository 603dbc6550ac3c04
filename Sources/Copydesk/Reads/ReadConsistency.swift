import Synchronization

/// What a request has already seen written: the furthest commit position it brought along (the
/// `Copydesk-Position` header, the desk's cookie) or made itself with a command. Reads in its
/// task go to a streaming replica only once the replica has replayed that far (read your writes).
///
/// The HTTP server gives each request one (`ReadConsistency.$current`); commands advance it
/// as they commit, so a page that reads right after its own command sees it, and the server
/// answers with the position for the client to bring to its next request.
public final class ReadConsistency: Sendable {
    @TaskLocal public static var current: ReadConsistency?

    private let furthest: Mutex<WALPosition?>

    public init(after position: WALPosition? = nil) {
        furthest = Mutex(position)
    }

    /// The furthest position seen, if any.
    public var position: WALPosition? { furthest.withLock { $0 } }

    /// Remembers `position` if it is further than what was seen.
    public func advance(to position: WALPosition?) {
        guard let position else { return }
        furthest.withLock { seen in
            if seen.map({ $0 < position }) ?? true { seen = position }
        }
    }
}

extension ReadConsistency {
    /// Runs a request's `body` with reads after `position`; when the request committed something
    /// further, `respond` tells the client where (a header, a cookie) so its next request brings it.
    public static func answering<Response>(
        after position: WALPosition?, _ body: () async throws -> Response,
        respond: (inout Response, WALPosition) -> Void
    ) async throws -> Response {
        let consistency = ReadConsistency(after: position)
        var response = try await $current.withValue(consistency) { try await body() }
        if let seen = consistency.position, seen != position {
            respond(&response, seen)
        }
        return response
    }
}
