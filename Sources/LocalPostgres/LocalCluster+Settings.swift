import Foundation

extension LocalCluster {
    static let settingsBegin = "# --- copydesk settings (rewritten by copydesk on every start) ---"
    static let settingsEnd = "# --- end of copydesk settings ---"

    /// The lines appended to postgresql.conf; later lines override initdb's defaults above them.
    var settings: [String] {
        [
            // Socket only, in the data directory: no TCP port to collide with other clusters.
            "listen_addresses = ''",
            "unix_socket_directories = '\(Self.quotedSetting(dataDirectory.path))'",
            "port = \(Self.port)",
            // A service's pools and listeners, the CLI beside it; parallel tests open many more.
            "max_connections = \(maximumConnections)",
            "shared_buffers = 128MB",
            // Durability stays on: tests must see what production sees after a crash.
            "fsync = on",
            "synchronous_commit = on",
        ]
    }

    /// Writes the settings block into postgresql.conf, replacing an earlier one, when it changed.
    ///
    /// Rewriting on every start keeps the socket directory right if the data directory was moved.
    func writeSettings() throws {
        let configuration = file("postgresql.conf")
        let current: String
        do {
            current = try String(contentsOf: configuration, encoding: .utf8)
        } catch {
            throw LocalClusterError("cannot read \(configuration.path): \(error.localizedDescription)")
        }
        var lines = current.components(separatedBy: "\n")
        if let begin = lines.firstIndex(of: Self.settingsBegin) {
            let end = lines[begin...].firstIndex(of: Self.settingsEnd) ?? lines.index(before: lines.endIndex)
            lines.removeSubrange(begin...end)
        }
        while lines.last == "" { lines.removeLast() }
        let updated = (lines + ["", Self.settingsBegin] + settings + [Self.settingsEnd, ""]).joined(separator: "\n")
        guard updated != current else { return }
        do {
            // Writing in place (not replace-by-rename) keeps the file's owner, the server's user.
            let handle = try FileHandle(forWritingTo: configuration)
            defer { try? handle.close() }
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data(updated.utf8))
        } catch {
            throw LocalClusterError("cannot write \(configuration.path): \(error.localizedDescription)")
        }
    }

    /// A value for a single-quoted postgresql.conf string.
    private static func quotedSetting(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''")
    }
}
