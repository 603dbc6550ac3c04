import Editorial
import Foundation

/// One row of `users`: a person's account as their events leave it.
struct UserRow: Sendable {
    let name: String
    let role: String
    let disabled: Bool
    let active_tokens: [String]
    let created_at: Date
    let updated_at: Date
    let version: Int64

    static let columns = "name, role, disabled, active_tokens, created_at, updated_at, version"
    static let columnTypes = """
        name text, role text, disabled boolean, active_tokens text[], created_at timestamptz, \
        updated_at timestamptz, version bigint
        """
    static let updates = columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { $0 != "name" }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")

    init(_ user: UserAccount) {
        name = user.name
        role = user.role.rawValue
        disabled = user.isDisabled
        active_tokens = user.activeTokens
        created_at = user.createdAt
        updated_at = user.updatedAt
        version = user.version
    }

    func columns(to writer: inout some ProjectionRowWriter) {
        writer.column("name", name)
        writer.column("role", role)
        writer.column("disabled", disabled)
        writer.column("active_tokens", active_tokens)
        writer.column("created_at", created_at)
        writer.column("updated_at", updated_at)
        writer.column("version", version)
    }

    var json: String {
        var object = JSONRows.Object()
        columns(to: &object)
        return object.text
    }
}
