import Mustache

// The page models name their fields for the templates by a switch (`MustacheParent`) instead of
// letting swift-mustache find them by reflection: it builds a `Mirror` and walks every field of
// the model for each name a template reads, which was half the CPU time of a queue page (125
// list items of ten names each). A field added to a model but not named here would read as absent;
// in debug builds (the tests) `unnamedField` stops at it instead.
//
// Text and numbers are handed over as `TemplateText`: swift-mustache renders a value it knows as
// `MustacheCustomRenderable` at once, where a plain String or Int went through four more dynamic
// casts and `String(describing:)` (a third of the time of every `{{name}}`). Booleans, lists and
// nested models stay as they are (sections).

/// Nothing, for a name the model's switch does not know: a template looking further up its
/// context. In debug builds, a stop when the model does have a field of that name, which its
/// switch forgot.
func unnamedField(_ name: String, of model: Any) -> Any? {
    assert(
        !Mirror(reflecting: model).children.contains { $0.label == name },
        "\(type(of: model)) has a field \(name) that its MustacheParent conformance does not name")
    return nil
}

/// A text (or number) a template shows, escaped like any other value.
struct TemplateText: MustacheCustomRenderable {
    let renderText: String
    var isNull: Bool { false }

    init(_ text: String) { renderText = text }
    init(_ number: some BinaryInteger) { renderText = String(number) }
}

extension PageChrome: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": TemplateText(title)
        case "user": user
        case "csrf": TemplateText(csrf)
        case "notice": notice.map(TemplateText.init)
        case "error": error.map(TemplateText.init)
        default: unnamedField(name, of: self)
        }
    }
}

extension PageChrome.SignedIn: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "name": TemplateText(self.name)
        case "role": TemplateText(role)
        case "mayAudit": mayAudit
        default: unnamedField(name, of: self)
        }
    }
}

extension ReaderZone.Shown: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "iso": TemplateText(iso)
        case "local": TemplateText(local)
        case "utc": TemplateText(utc)
        default: unnamedField(name, of: self)
        }
    }
}

extension QueueController.QueuePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "page": page
        case "yourTurnHeading": TemplateText(yourTurnHeading)
        case "yourTurn": yourTurn
        case "yourTurnHTML": yourTurnHTML
        case "yourTurnMore": yourTurnMore
        case "stateCounts": stateCounts
        case "q": TemplateText(q)
        case "states": states
        case "sections": sections
        case "authors": authors
        case "live": live
        case "results": results
        case "resultsHTML": resultsHTML
        case "pageNumber": TemplateText(pageNumber)
        case "previous": previous.map(TemplateText.init)
        case "next": next.map(TemplateText.init)
        default: unnamedField(name, of: self)
        }
    }
}

extension QueueController.QueuePage.StateCount: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "state": TemplateText(state)
        case "count": TemplateText(count)
        case "selected": selected
        default: unnamedField(name, of: self)
        }
    }
}

extension QueueController.QueuePage.Choice: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "value": TemplateText(value)
        case "label": TemplateText(label)
        case "selected": selected
        default: unnamedField(name, of: self)
        }
    }
}

extension ArticlePage: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "page": page
        case "id": TemplateText(id)
        case "version": TemplateText(version)
        case "title": TemplateText(title)
        case "lead": TemplateText(lead)
        case "paragraphs": paragraphs
        case "lang": TemplateText(lang)
        case "state": TemplateText(state)
        case "section": section.map(TemplateText.init)
        case "tags": TemplateText(tags)
        case "hasTags": hasTags
        case "author": TemplateText(author)
        case "lastChange": lastChange
        case "scheduledFor": scheduledFor
        case "live": live
        case "pendingDiff": pendingDiff
        case "hasPendingDiff": hasPendingDiff
        case "pastVersion": pastVersion
        case "actions": actions
        case "mayEdit": mayEdit
        case "zone": TemplateText(zone)
        case "scheduleValue": TemplateText(scheduleValue)
        default: unnamedField(name, of: self)
        }
    }
}

extension ArticlePage.Action: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "command": TemplateText(command)
        case "label": TemplateText(label)
        case "needsReason": needsReason
        case "needsText": needsText
        case "takesNote": takesNote
        case "isPublish": isPublish
        case "isDangerous": isDangerous
        default: unnamedField(name, of: self)
        }
    }
}

extension ArticlePage.LastChange: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "actor": TemplateText(actor)
        case "isSystem": isSystem
        case "action": TemplateText(action)
        case "at": at
        default: unnamedField(name, of: self)
        }
    }
}

extension ArticlePage.LiveText: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "title": TemplateText(title)
        case "lead": TemplateText(lead)
        case "paragraphs": paragraphs
        case "lang": TemplateText(lang)
        case "publishedAt": publishedAt
        case "publishedBy": TemplateText(publishedBy)
        default: unnamedField(name, of: self)
        }
    }
}

extension ArticlePage.PastVersion: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "current": TemplateText(current)
        case "mayRevert": mayRevert
        default: unnamedField(name, of: self)
        }
    }
}
