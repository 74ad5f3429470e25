#include "read_distribution.hpp"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "diagnostic_messages.hpp"

namespace capsim::scenario::detail {

std::optional<workload::Distribution> read_distribution(SectionContext& context, const YAML::Node& node,
                                                        const std::string& path, std::optional<Dimension> dimension) {
    YamlReader& reader = context.reader;
    auto value = [&](const YAML::Node& v, const std::string& p) -> std::optional<double> {
        if (dimension) return context.quantity(v, p, *dimension);
        return reader.number(v, p, -INFINITY, INFINITY);
    };
    const std::string forms = "a value, {fixed: V}, {uniform: [LOW, HIGH]}, {exponential: {mean: V}}, "
                              "{lognormal: {median: V, sigma: S}} or {lognormal: {mean: V, cv: C}}, "
                              "{choice: [V, ...], weights: [W, ...]} or {empirical: {csv: FILE, column: NAME}}";
    try {
        if (node.IsScalar()) {
            if (auto v = value(node, path)) return workload::Distribution::fixed(*v);
            return std::nullopt;
        }
        if (!node.IsMap()) {
            reader.error(node, path, found_instead_of(node, forms));
            return std::nullopt;
        }
        if (node["fixed"]) {
            if (!reader.check_mapping(node, path, {"fixed"})) return std::nullopt;
            if (auto v = value(node["fixed"], path + ".fixed")) return workload::Distribution::fixed(*v);
            return std::nullopt;
        }
        if (node["uniform"]) {
            if (!reader.check_mapping(node, path, {"uniform"})) return std::nullopt;
            const YAML::Node range = node["uniform"];
            if (!range.IsSequence() || range.size() != 2) {
                reader.error(range, path + ".uniform", found_instead_of(range, "[LOW, HIGH]"));
                return std::nullopt;
            }
            const auto low = value(range[0], path + ".uniform[0]");
            const auto high = value(range[1], path + ".uniform[1]");
            if (!low || !high) return std::nullopt;
            if (*high < *low) {
                reader.error(range, path + ".uniform", "the high end is below the low end, expected [LOW, HIGH]");
                return std::nullopt;
            }
            return workload::Distribution::uniform(*low, *high);
        }
        if (node["exponential"]) {
            if (!reader.check_mapping(node, path, {"exponential"})) return std::nullopt;
            YAML::Node mean = node["exponential"];
            std::string mean_path = path + ".exponential";
            if (mean.IsMap()) {
                if (!reader.check_mapping(mean, mean_path, {"mean"})) return std::nullopt;
                mean = reader.child(mean, mean_path, "mean", true);
                mean_path += ".mean";
            }
            const auto m = value(mean, mean_path);
            if (!m) return std::nullopt;
            if (*m <= 0) {
                reader.error(mean, mean_path, found_instead_of(mean, "a mean > 0"));
                return std::nullopt;
            }
            return workload::Distribution::exponential(*m);
        }
        if (node["lognormal"]) {
            if (!reader.check_mapping(node, path, {"lognormal"})) return std::nullopt;
            const YAML::Node p = node["lognormal"];
            const std::string lp = path + ".lognormal";
            if (!reader.check_mapping(p, lp, {"median", "sigma", "mean", "cv"})) return std::nullopt;
            if ((p["median"] || p["sigma"]) && (p["mean"] || p["cv"])) {
                reader.error(p, lp, "both {median, sigma} and {mean, cv}, expected one of the two forms");
                return std::nullopt;
            }
            if (p["median"] || p["sigma"]) {
                const auto median = value(reader.child(p, lp, "median", true), lp + ".median");
                const auto sigma = reader.number(reader.child(p, lp, "sigma", true), lp + ".sigma", 0, 10);
                if (!median || !sigma) return std::nullopt;
                if (*median <= 0) {
                    reader.error(p["median"], lp + ".median", found_instead_of(p["median"], "a median > 0"));
                    return std::nullopt;
                }
                return workload::Distribution::lognormal_median(*median, *sigma);
            }
            const auto mean = value(reader.child(p, lp, "mean", true), lp + ".mean");
            const auto cv = reader.number(reader.child(p, lp, "cv", true), lp + ".cv", 0, 100);
            if (!mean || !cv) return std::nullopt;
            if (*mean <= 0) {
                reader.error(p["mean"], lp + ".mean", found_instead_of(p["mean"], "a mean > 0"));
                return std::nullopt;
            }
            return workload::Distribution::lognormal_mean(*mean, *cv);
        }
        if (node["choice"]) {
            if (!reader.check_mapping(node, path, {"choice", "weights"})) return std::nullopt;
            const YAML::Node values = node["choice"];
            const YAML::Node weights = reader.child(node, path, "weights", false);
            if (!values.IsSequence() || values.size() == 0) {
                reader.error(values, path + ".choice", found_instead_of(values, "a list of values"));
                return std::nullopt;
            }
            std::vector<double> v, w;
            bool ok = true;
            for (std::size_t i = 0; i < values.size(); ++i) {
                if (auto x = value(values[i], YamlReader::index_path(path + ".choice", i))) v.push_back(*x);
                else ok = false;
            }
            if (weights) {
                if (!weights.IsSequence() || weights.size() != values.size()) {
                    reader.error(weights, path + ".weights",
                                 found_instead_of(weights, std::to_string(values.size()) + " weights, one per value"));
                    return std::nullopt;
                }
                for (std::size_t i = 0; i < weights.size(); ++i) {
                    const std::string weight_path = YamlReader::index_path(path + ".weights", i);
                    if (auto x = reader.number(weights[i], weight_path, 0, INFINITY)) w.push_back(*x);
                    else ok = false;
                }
            } else {
                w.assign(v.size(), 1.0); // no weights: every value equally likely
            }
            if (!ok) return std::nullopt;
            return workload::Distribution::choice(v, w);
        }
        if (node["empirical"]) {
            if (!reader.check_mapping(node, path, {"empirical"})) return std::nullopt;
            const YAML::Node e = node["empirical"];
            const std::string ep = path + ".empirical";
            if (!reader.check_mapping(e, ep, {"csv", "column"})) return std::nullopt;
            const auto file = reader.text(reader.child(e, ep, "csv", true), ep + ".csv", "a CSV file name");
            const auto column = reader.text(reader.child(e, ep, "column", true), ep + ".column", "a column name");
            if (!file || !column) return std::nullopt;
            try {
                return workload::Distribution::empirical_from_csv(context.file_path(*file), *column);
            } catch (const Error& err) {
                reader.error(e["csv"], ep + ".csv", err.what());
                return std::nullopt;
            }
        }
        reader.error(node, path, unknown_form(node, forms));
    } catch (const std::invalid_argument& e) {
        reader.error(node, path, e.what());
    }
    return std::nullopt;
}

} // namespace capsim::scenario::detail
