import Foundation
import GitStore
import GitValues

/// Who is writing: from `--author`, else `STET_AUTHOR`, else git's `user.name` and `user.email`.
public enum Identity {
    /// Parses `Name <email>`.
    public static func parse(_ text: String, source: String) throws(StetError) -> (name: String, email: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") else {
            throw StetError(.usage, "\(source) '\(text)' is not of the form 'Name <email>'")
        }
        let name = trimmed[..<open].trimmingCharacters(in: .whitespaces)
        let email = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
        let forbidden = CharacterSet(charactersIn: "<>\n\r\0")
        guard !name.isEmpty, !email.isEmpty, name.rangeOfCharacter(from: forbidden) == nil,
              email.rangeOfCharacter(from: forbidden) == nil
        else {
            throw StetError(.usage, "\(source) '\(text)' is not of the form 'Name <email>'")
        }
        return (name, email)
    }

    /// The writer's signature at `date`.
    static func resolve(explicit: String?, option: String = "--author", environment: [String: String],
                        repository: Repository, date: Date) throws(StetError) -> Signature
    {
        let offset = TimeZone.current.secondsFromGMT(for: date) / 60
        if let explicit {
            let (name, email) = try parse(explicit, source: option)
            return Signature(name: name, email: email, date: date, timeZoneOffset: offset)
        }
        if let value = environment["STET_AUTHOR"], !value.isEmpty {
            let (name, email) = try parse(value, source: "STET_AUTHOR")
            return Signature(name: name, email: email, date: date, timeZoneOffset: offset)
        }
        if let name = repository.configString("user.name"), let email = repository.configString("user.email"),
           !name.isEmpty, !email.isEmpty
        {
            return Signature(name: name, email: email, date: date, timeZoneOffset: offset)
        }
        throw StetError(.identity, "no identity to record: pass \(option) \"Name <email>\", set STET_AUTHOR, "
            + "or run git config --global user.name \"Name\" and git config --global user.email you@example.org")
    }
}
