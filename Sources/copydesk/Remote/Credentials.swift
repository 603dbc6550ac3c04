import Foundation

/// The tokens `copydesk login` keeps, one per server, in `credentials.json` under
/// `$XDG_CONFIG_HOME/copydesk` (or `~/.config/copydesk`): a file only its owner can read (0600),
/// in a directory only its owner can enter (0700), replaced whole so that it is never half written.
struct Credentials: Sendable {
    /// Server URL (as `RemoteConfiguration.serverURL` writes it) → bearer token.
    private(set) var tokens: [String: String]

    func token(for server: String) -> String? { tokens[server] }

    mutating func set(_ token: String?, for server: String) { tokens[server] = token }

    /// The stored tokens (none when the file does not exist yet).
    static func load(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Credentials {
        let file = self.file(environment)
        guard let data = FileManager.default.contents(atPath: file.path) else { return Credentials(tokens: [:]) }
        guard let stored = try? JSONDecoder().decode(Stored.self, from: data) else {
            throw RemoteFailure(
                "\(file.path) is not a credentials file Copydesk wrote; remove it and run `copydesk login URL` again",
                status: ExitStatus.failure)
        }
        return Credentials(tokens: stored.servers)
    }

    /// Writes the tokens (removing the file when none is left): a new 0600 file renamed over the old one.
    func save(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let file = Self.file(environment)
        let directory = file.deletingLastPathComponent()
        if tokens.isEmpty {
            try? FileManager.default.removeItem(at: file)
            return
        }
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let data = try JSONEncoder.sorted.encode(Stored(servers: tokens))
            let temporary = directory.appendingPathComponent(".credentials-\(UUID().uuidString).json")
            // Created with its final permissions, so the token is never readable by others, even for a moment.
            let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission) }
            let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            try handle.write(contentsOf: data)
            try handle.close()
            guard rename(temporary.path, file.path) == 0 else {
                try? FileManager.default.removeItem(at: temporary)
                throw CocoaError(.fileWriteUnknown)
            }
        } catch {
            throw RemoteFailure(
                "cannot write \(file.path): \(error.localizedDescription); the token was not stored",
                status: ExitStatus.failure)
        }
    }

    /// `$XDG_CONFIG_HOME/copydesk/credentials.json`, or `~/.config/copydesk/credentials.json`.
    static func file(_ environment: [String: String]) -> URL {
        let base: URL
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            base = URL(fileURLWithPath: config, isDirectory: true)
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            base = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".config", isDirectory: true)
        }
        return base.appendingPathComponent("copydesk", isDirectory: true).appendingPathComponent("credentials.json")
    }

    /// The file's layout: `{"servers": {"https://copydesk.example.org": "cd_..."}}`.
    private struct Stored: Codable {
        var servers: [String: String]
    }
}

extension JSONEncoder {
    /// Pretty, sorted keys: a file a person may read.
    fileprivate static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
