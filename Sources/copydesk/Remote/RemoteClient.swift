import AsyncHTTPClient
import Copydesk
import Editorial
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// Requests to the Copydesk HTTP API as the token's user. Every error answer becomes the error the
/// direct mode would have thrown (`RemoteProblem`), and a server that cannot be reached a
/// `RemoteFailure` with the database-unavailable status, as an unreachable database is.
struct RemoteClient: Sendable {
    let configuration: RemoteConfiguration

    /// What a request is about, so that an error answer can name it as the direct mode does.
    struct Subject: Sendable {
        var article: UUID?
        var expectedVersion: Int64?
    }

    /// `GET path?query` decoded as `T`.
    func get<T: Decodable>(
        _ path: String, query: [(String, String?)] = [], as type: T.Type, about subject: Subject = Subject()
    ) async throws -> T {
        let body = try await send(.GET, path, query: query, about: subject)
        return try decode(type, from: body)
    }

    /// Sends one request and answers its body; an error status throws (see `RemoteProblem`).
    func send(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], json: Data? = nil,
        headers: [(String, String)] = [], about subject: Subject = Subject()
    ) async throws -> Data {
        let response = try await open(method, path, query: query, json: json, headers: headers, about: subject)
        do {
            return Data(try await response.body.collect(upTo: 256 << 20).readableBytesView)
        } catch {
            throw interrupted(error)
        }
    }

    /// Sends one request and answers the response with its body still to be read (for the audit
    /// export, which can be large); an error status throws (see `RemoteProblem`).
    func open(
        _ method: HTTPMethod, _ path: String, query: [(String, String?)] = [], json: Data? = nil,
        headers: [(String, String)] = [], timeout: TimeAmount = .seconds(60), about subject: Subject = Subject()
    ) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: configuration.server + path + Self.queryString(query))
        request.method = method
        request.headers.add(name: "Authorization", value: "Bearer \(configuration.token)")
        request.headers.add(name: "User-Agent", value: "copydesk-cli")
        request.headers.add(name: "Accept", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: json))
        }
        let response: HTTPClientResponse
        do {
            response = try await remoteHTTPClient.execute(request, timeout: timeout)
        } catch where Self.wasCutOff(error) {
            // The request may have reached the server and its answer been lost: sent again, with the
            // same Idempotency-Key for a command, it is carried out once (and a read is harmless).
            do {
                response = try await remoteHTTPClient.execute(request, timeout: timeout)
            } catch {
                throw unreachable(error)
            }
        } catch {
            throw unreachable(error)
        }
        guard (200..<300).contains(response.status.code) else {
            let body = (try? await response.body.collect(upTo: 1 << 20)).map { Data($0.readableBytesView) } ?? Data()
            let problem = try? JSONDecoder().decode(RemoteProblem.self, from: body)
            throw (problem ?? RemoteProblem(type: nil, detail: nil, currentVersion: nil)).error(
                status: Int(response.status.code), server: configuration.server, article: subject.article,
                expectedVersion: subject.expectedVersion)
        }
        return response
    }

    /// `body` read as Copydesk's JSON (times as `Timestamp` writes them).
    func decode<T: Decodable>(_ type: T.Type, from body: Data) throws -> T {
        do {
            return try Self.decoder.decode(type, from: body)
        } catch {
            throw RemoteFailure(
                "the server at \(configuration.server) answered something this copydesk cannot read "
                    + "(is it a Copydesk server of the same version?)",
                status: ExitStatus.failure)
        }
    }

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = ISO8601.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a time: \(text)")
            }
            return date
        }
        return decoder
    }()

    /// The request never got an answer: nothing reached the server, or its answer never came.
    private func unreachable(_ error: any Error) -> RemoteFailure {
        if Self.wasCutOff(error) {
            return RemoteFailure(
                "the server at \(configuration.server) did not answer (\(Self.reason(error))), twice; a command may "
                    + "or may not have been carried out: `copydesk history ID` tells",
                status: ExitStatus.databaseUnavailable)
        }
        return RemoteFailure(
            "cannot reach the server at \(configuration.server) (\(Self.reason(error))). "
                + "Check COPYDESK_URL and that the server runs",
            status: ExitStatus.databaseUnavailable)
    }

    /// The answer stopped half way.
    private func interrupted(_ error: any Error) -> RemoteFailure {
        RemoteFailure(
            "the answer of the server at \(configuration.server) was cut off (\(Self.reason(error))); try again",
            status: ExitStatus.databaseUnavailable)
    }

    /// Whether a connection was made and then lost (rather than never made, which retrying within
    /// the same second would not mend).
    static func wasCutOff(_ error: any Error) -> Bool {
        if error is NIOConnectionError { return false }
        if let error = error as? HTTPClientError {
            return error == .remoteConnectionClosed || error == .readTimeout || error == .writeTimeout
        }
        if let error = error as? IOError { return error.errnoCode == ECONNRESET || error.errnoCode == EPIPE }
        return false
    }

    /// A short reason for a transport error: what NIO or the client says, not a dump of its fields.
    static func reason(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if let failure = error.connectionErrors.first { return reason(failure.error) }
            return error.dnsAError != nil || error.dnsAAAAError != nil ? "no such host" : "cannot connect"
        }
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)).lowercased() }
        if let error = error as? HTTPClientError { return error.shortDescription }
        return String(describing: error)
    }

    /// `?name=value&...` with every value percent-encoded but the unreserved characters; nil values left out.
    static func queryString(_ query: [(String, String?)]) -> String {
        let pairs = query.compactMap { name, value in value.map { "\(name)=\(percentEncoded($0))" } }
        return pairs.isEmpty ? "" : "?" + pairs.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}

/// The process's one HTTP client. It is never shut down: the process ends with its command.
private let remoteHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.timeout = .init(connect: .seconds(10))
    // Someone at a terminal wants "cannot reach the server" at once, not after retrying until the timeout.
    configuration.connectionPool.retryConnectionEstablishment = false
    return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
}()
