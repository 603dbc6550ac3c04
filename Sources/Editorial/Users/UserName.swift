/// The rule for user names: 1–63 lowercase letters, digits, `.`, `_` or `-`, starting with a letter
/// (the `users` table checks the same pattern).
public enum UserName {
    /// Whether `name` may be a user's name (reserved names aside: see `Actor.isReserved`).
    public static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.unicodeScalars.count <= 63
        else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || ".-_".unicodeScalars.contains($0) }
    }
}
