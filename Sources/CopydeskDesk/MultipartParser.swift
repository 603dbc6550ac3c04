/// A small `multipart/form-data` reader (RFC 7578) for the desk's forms: text fields and files,
/// each part's name and file name from its `Content-Disposition`. Parts are byte ranges between
/// boundary lines; nothing is decoded but the headers.
struct MultipartParser {
    let boundary: String

    func parse(_ body: [UInt8]) -> DeskForm? {
        let delimiter = Array("--\(boundary)".utf8)
        var form = DeskForm()
        var starts: [Int] = []
        var index = 0
        while let found = Self.find(delimiter, in: body, from: index) {
            starts.append(found)
            index = found + delimiter.count
        }
        guard starts.count >= 2 else { return nil }
        for (start, end) in zip(starts, starts.dropFirst()) {
            // A part runs from the line after its delimiter to the CR LF before the next one.
            var partStart = start + delimiter.count
            guard partStart + 2 <= end, body[partStart] == 13, body[partStart + 1] == 10 else { continue }
            partStart += 2
            let partEnd = end >= 2 && body[end - 2] == 13 && body[end - 1] == 10 ? end - 2 : end
            guard partStart <= partEnd else { continue }
            let part = Array(body[partStart..<partEnd])
            guard let headerEnd = Self.find(Array("\r\n\r\n".utf8), in: part, from: 0) else { continue }
            let headers = String(decoding: part[..<headerEnd], as: UTF8.self)
            let content = Array(part[(headerEnd + 4)...])
            guard let name = Self.parameter("name", in: headers) else { continue }
            if let fileName = Self.parameter("filename", in: headers) {
                guard !fileName.isEmpty else { continue }  // an empty file input
                form.files[name, default: []].append(DeskForm.File(fileName: fileName, bytes: content))
            } else {
                form.fields[name, default: []].append(String(decoding: content, as: UTF8.self))
            }
        }
        return form
    }

    /// A parameter of the `Content-Disposition` header, such as `name="files"`.
    static func parameter(_ key: String, in headers: String) -> String? {
        for line in headers.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
            for item in line.split(separator: ";").dropFirst() {
                let pair = item.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == key else {
                    continue
                }
                var value = pair[1].trimmingCharacters(in: .whitespaces)
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                    value = String(value.dropFirst().dropLast())
                }
                return value
            }
        }
        return nil
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        var index = start
        let first = needle[0]
        while index <= haystack.count - needle.count {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }
}
