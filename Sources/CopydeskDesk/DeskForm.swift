import Foundation

/// The fields of a submitted form, `application/x-www-form-urlencoded` or `multipart/form-data`.
public struct DeskForm: Sendable {
    /// An uploaded file.
    public struct File: Sendable {
        /// The name the browser sent (any folder in it is not trusted: see `ImportController.safeName`).
        public let fileName: String
        /// The file's bytes, as sent.
        public let bytes: [UInt8]
    }

    /// Every value of every field, in the order sent.
    var fields: [String: [String]] = [:]
    /// Uploaded files by field name.
    var files: [String: [File]] = [:]

    /// The first value of `name`, or nil.
    public subscript(name: String) -> String? { fields[name]?.first }

    /// The first value of `name` with CR LF pairs made LF (browsers send textarea lines as CR LF),
    /// or "" when absent.
    func text(_ name: String) -> String {
        (self[name] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// The value of `name` trimmed, or nil when absent or blank.
    func trimmed(_ name: String) -> String? {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            return nil
        }
        return value
    }

    /// Reads a body of `contentType`; nil when it is neither form type or cannot be parsed.
    static func parse(_ body: [UInt8], contentType: String?) -> DeskForm? {
        let type = contentType?.lowercased() ?? ""
        if type.hasPrefix("application/x-www-form-urlencoded") {
            return urlEncoded(String(decoding: body, as: UTF8.self))
        }
        if type.hasPrefix("multipart/form-data"), let boundary = Self.boundary(in: contentType ?? "") {
            return MultipartParser(boundary: boundary).parse(body)
        }
        return nil
    }

    static func urlEncoded(_ text: String) -> DeskForm {
        var form = DeskForm()
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (part: Substring) in
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            let name = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            form.fields[name, default: []].append(value)
        }
        return form
    }

    private static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else {
                continue
            }
            let value = pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(
                in: CharacterSet(charactersIn: "\""))
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
