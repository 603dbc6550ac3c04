import Foundation
import Hummingbird

/// Serves the desk's stylesheet and script (`/desk/static/desk.css`, `/desk/static/desk.js`) from
/// the target's resources, read once.
struct StaticFilesController<Context: DeskRequestContext> {
    private static var files: [String: (type: String, bytes: [UInt8])] {
        var files: [String: (String, [UInt8])] = [:]
        for (name, type) in [("desk.css", "text/css; charset=utf-8"), ("desk.js", "text/javascript; charset=utf-8")] {
            if let url = Bundle.module.resourceURL?.appendingPathComponent("Static/\(name)"),
                let data = FileManager.default.contents(atPath: url.path)
            {
                files[name] = (type, Array(data))
            }
        }
        return files
    }

    func addRoutes(to group: RouterGroup<Context>) {
        let files = Self.files
        group.get("static/:file") { _, context in
            guard let name = context.parameters.get("file"), let file = files[name] else {
                throw DeskPageError.notFound
            }
            return Response(
                status: .ok, headers: [.contentType: file.type, .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
    }
}
