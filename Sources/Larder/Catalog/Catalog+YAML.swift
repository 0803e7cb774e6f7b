import Foundation

extension Catalog {
    /// The catalog as a definitions file (the format `Definitions.parse` reads), so a catalog
    /// built in Swift can be saved, diffed by people, and validated by the same rules as a file.
    public var definitionsYAML: String {
        var out = ""
        func q(_ s: String) -> String {
            // A JSON string literal is a valid YAML double-quoted scalar.
            let data = (try? JSONSerialization.data(withJSONObject: [s], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
            return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
        }
        func list(_ items: [String]) -> String { "[" + items.map(q).joined(separator: ", ") + "]" }
        if !entities.isEmpty {
            out += "entities:\n"
            for e in entities {
                out += "  - name: \(q(e.name))\n    join_keys: \(list(e.joinKeys))\n"
                if let d = e.description { out += "    description: \(q(d))\n" }
            }
        }
        if !featureViews.isEmpty {
            out += "feature_views:\n"
            for v in featureViews {
                out += "  - name: \(q(v.name))\n    entities: \(list(v.entities))\n    timestamp_field: \(q(v.timestampField))\n"
                if let c = v.createdTimestampColumn { out += "    created_timestamp_column: \(q(c))\n" }
                if let ttl = v.ttl { out += "    ttl: \(q(DurationText.format(microseconds: ttl)))\n" }
                out += "    online: \(v.online)\n"
                if let s = v.expectationSuite { out += "    expectation_suite: \(q(s))\n" }
                if let p = v.onInvalid { out += "    on_invalid: \(p.rawValue)\n" }
                if let d = v.description { out += "    description: \(q(d))\n" }
                if !v.tags.isEmpty {
                    out += "    tags: {" + v.tags.sorted { $0.key < $1.key }.map { "\(q($0.key)): \(q($0.value))" }.joined(separator: ", ") + "}\n"
                }
                out += "    schema:\n"
                for f in v.schema {
                    if case .floatVector(let d) = f.type {
                        out += "      - {name: \(q(f.name)), dtype: \"array<float32>\", dim: \(d)}\n"
                    } else {
                        out += "      - {name: \(q(f.name)), dtype: \(f.type.name)}\n"
                    }
                }
            }
        }
        if !featureServices.isEmpty {
            out += "feature_services:\n"
            for s in featureServices {
                out += "  - name: \(q(s.name))\n    features: \(list(s.features.map(\.description)))\n"
                if s.logServedFeatures { out += "    log_served_features: true\n" }
                if let d = s.description { out += "    description: \(q(d))\n" }
            }
        }
        if !expectationSuites.isEmpty {
            out += "expectation_suites:\n"
            for s in expectationSuites {
                out += "  - name: \(q(s.name))\n    expectations: \(s.expectationsJSON)\n"
            }
        }
        return out
    }
}

extension Definitions {
    /// Checks a catalog built in Swift by the rules a definitions file is checked by.
    /// - Throws: `.invalidDefinitions` naming the problem (line numbers refer to
    ///   ``Catalog/definitionsYAML``).
    public static func validate(_ catalog: Catalog) throws {
        _ = try parse(yaml: catalog.definitionsYAML, file: "<catalog>")
    }
}
