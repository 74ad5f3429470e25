// The tenants and workloads sections: who shares the machine, and the job streams they submit:
// generated (arrivals, GPUs, work), inference reservations, or traces replayed from a file, and how
// their jobs checkpoint.
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <map>
#include <stdexcept>

#include "capsim/infra/infrastructure_spec.hpp"
#include "capsim/util/strings.hpp"
#include "capsim/workload/swf_reader.hpp"
#include "diagnostic_messages.hpp"
#include "read_distribution.hpp"
#include "section_readers.hpp"

namespace capsim::scenario::detail {
namespace {

using workload::JobClass;
using workload::TenantSpec;
using workload::WorkloadSpec;
using workload::WorkSpec;

/// The classes in the order messages and docs/scenario.md list them (not the order of priority).
constexpr std::array<JobClass, workload::job_class_count> listed_classes = {
    JobClass::training, JobClass::fine_tuning, JobClass::research, JobClass::inference, JobClass::urgent};

std::vector<std::string> class_names() {
    std::vector<std::string> names;
    for (const JobClass c : listed_classes) names.push_back(to_string(c));
    return names;
}

/// The trace format when a trace gives none.
constexpr const char* default_trace_format = "swf";

std::vector<std::string> tenant_names(const Scenario& scenario) {
    std::vector<std::string> names;
    for (const auto& t : scenario.tenants) names.push_back(t.name);
    return names;
}

/// An inference reservation: `gpus` GPUs held at one site from `from` to `to`.
bool read_reservation(SectionContext& context, const YAML::Node& node, const std::string& path,
                      const std::vector<std::string>& site_names, WorkloadSpec& w) {
    YamlReader& reader = context.reader;
    if (!reader.check_mapping(node, path, {"gpus", "from", "to", "site"})) return false;
    WorkloadSpec::Reservation res;
    const auto g = reader.whole_number(reader.child(node, path, "gpus", true), path + ".gpus", 1);
    const auto from = reader.date(reader.child(node, path, "from", true), path + ".from");
    const auto to = reader.date(reader.child(node, path, "to", true), path + ".to");
    const auto site = context.name_index(reader.child(node, path, "site", true), path + ".site", site_names, "site");
    if (!g || !from || !to || !site) return false;
    res.gpus = static_cast<int>(*g);
    res.from_s = *from;
    res.to_s = end_of_period(node["to"], *to); // a plain date holds through that day
    res.site = *site;
    if (res.to_s <= res.from_s) {
        reader.error(node["to"], path + ".to", not_after(node["to"], "'from'"));
        return false;
    }
    w.reservation = res;
    w.gpus = workload::Distribution::fixed(res.gpus);
    return true;
}

/// The arrivals of a generated workload: a Poisson rate with growth, daily and weekly cycles, within
/// [from, to).
bool read_arrivals(SectionContext& context, const YAML::Node& arrivals, const std::string& ap, WorkloadSpec& w) {
    YamlReader& reader = context.reader;
    const Scenario& scenario = context.scenario;
    if (!reader.check_mapping(arrivals, ap, {"rate", "growth", "daily_cycle", "weekly_cycle", "from", "to"})) {
        return false;
    }
    bool ok = true;
    if (YAML::Node f = arrivals["from"]) {
        if (auto t = reader.date(f, ap + ".from")) w.arrivals_from_s = *t;
        else ok = false;
    }
    if (YAML::Node t = arrivals["to"]) {
        if (auto x = reader.date(t, ap + ".to")) {
            w.arrivals_to_s = end_of_period(t, *x);
            if (w.arrivals_to_s <= w.arrivals_from_s) {
                reader.error(t, ap + ".to", not_after(t, "'from'"));
                ok = false;
            }
        } else {
            ok = false;
        }
    }
    workload::ArrivalSpec spec;
    spec.t0_s = scenario.start_s;
    if (!w.sites.empty()) spec.utc_offset_s = scenario.sites[w.sites.front()].utc_offset_s;
    auto parse = [&](const YAML::Node& v, const std::string& p, auto&& f,
                     const char* expected) -> std::optional<double> {
        if (!v.IsScalar()) {
            reader.error(v, p, found_instead_of(v, expected));
            return std::nullopt;
        }
        try {
            return f(v.Scalar());
        } catch (const std::invalid_argument& e) {
            reader.error(v, p, e.what());
            return std::nullopt;
        }
    };
    if (auto rate = parse(reader.child(arrivals, ap, "rate", true), ap + ".rate", workload::parse_rate_per_s,
                          "a rate like '400/day'")) {
        spec.rate_per_s = *rate;
    } else {
        ok = false;
    }
    if (YAML::Node g = arrivals["growth"]) {
        if (auto x = parse(g, ap + ".growth", workload::parse_growth_per_year, "a growth like '35%/year'")) {
            spec.growth_per_year = *x;
        } else {
            ok = false;
        }
    }
    if (YAML::Node d = arrivals["daily_cycle"]) {
        if (auto i = context.name_index(d, ap + ".daily_cycle", workload::daily_cycle_names(), "daily cycle")) {
            spec.daily = workload::daily_cycle(workload::daily_cycle_names()[*i]);
        } else {
            ok = false;
        }
    }
    if (YAML::Node d = arrivals["weekly_cycle"]) {
        if (auto i = context.name_index(d, ap + ".weekly_cycle", workload::weekly_cycle_names(), "weekly cycle")) {
            spec.weekly = workload::weekly_cycle(workload::weekly_cycle_names()[*i]);
        } else {
            ok = false;
        }
    }
    w.arrivals = spec;
    return ok;
}

/// The amount of work of each job, from a checked `work` mapping: {flops: DIST} or
/// {gpu_hours: DIST, reference: GPU}.
bool read_work_amount(SectionContext& context, const YAML::Node& work, const std::string& wp, WorkloadSpec& w) {
    YamlReader& reader = context.reader;
    const infra::HardwareCatalog& catalog = context.scenario.catalog;
    bool ok = true;
    if (work["flops"]) {
        if (auto d = read_distribution(context, work["flops"], wp + ".flops", std::nullopt)) {
            w.work.kind = WorkSpec::Kind::flops;
            w.work.amount = *d;
        } else {
            ok = false;
        }
    } else if (work["gpu_hours"]) {
        if (auto d = read_distribution(context, work["gpu_hours"], wp + ".gpu_hours", std::nullopt)) {
            w.work.kind = WorkSpec::Kind::gpu_hours;
            w.work.amount = *d;
        } else {
            ok = false;
        }
        if (auto gi = context.name_index(reader.child(work, wp, "reference", true), wp + ".reference",
                                         catalog.gpu_names(), "GPU")) {
            w.work.reference_peak_flops = catalog.find_gpu(catalog.gpu_names()[*gi])->peak_bf16_flops;
        } else {
            ok = false;
        }
    } else {
        reader.error(work, wp, unknown_form(work, "{flops: DIST} or {gpu_hours: DIST, reference: GPU}"));
        ok = false;
    }
    return ok;
}

/// A generated workload: arrivals, GPUs, work or a duration, and optionally MFU and estimates.
bool read_generated(SectionContext& context, const YAML::Node& node, const std::string& path, WorkloadSpec& w) {
    YamlReader& reader = context.reader;
    const YAML::Node arrivals = reader.child(node, path, "arrivals", true);
    bool ok = arrivals && read_arrivals(context, arrivals, path + ".arrivals", w);
    if (YAML::Node g = reader.child(node, path, "gpus", true)) {
        if (auto d = read_distribution(context, g, path + ".gpus", std::nullopt)) {
            if (d->min_value() < 1) {
                reader.error(g, path + ".gpus", can_take_the_value(d->min_value(), "at least 1 GPU"));
                ok = false;
            }
            w.gpus = *d;
        } else {
            ok = false;
        }
    } else {
        ok = false;
    }
    const YAML::Node work = node["work"];
    const YAML::Node duration = node["duration"];
    if (work && duration) {
        reader.error(duration, path + ".duration",
                     "given with 'work', expected one of them: work in FLOPs or GPU-hours, or a plain duration");
        ok = false;
    } else if (duration) {
        if (auto d = read_distribution(context, duration, path + ".duration", Dimension::duration)) {
            if (d->max_value() <= 0) {
                reader.error(duration, path + ".duration", "is always 0, expected durations > 0");
                ok = false;
            }
            w.work.kind = WorkSpec::Kind::duration;
            w.work.amount = *d;
        } else {
            ok = false;
        }
    } else if (work) {
        const std::string wp = path + ".work";
        // A work mapping with wrong keys ends the workload's checks here.
        if (!reader.check_mapping(work, wp, {"flops", "gpu_hours", "reference"})) return false;
        ok = read_work_amount(context, work, wp, w) && ok;
        // Judged only when everything before it was right.
        if ((w.work.amount.min_value() < 0 || w.work.amount.max_value() <= 0) && ok) {
            reader.error(work, wp, can_take_the_value(w.work.amount.min_value(), "work > 0"));
            ok = false;
        }
    } else {
        reader.error(node, path + ".work",
                     missing("work ({flops: ...} or {gpu_hours: ..., reference: ...}) or a duration"));
        ok = false;
    }
    if (YAML::Node m = node["mfu"]) {
        const auto x = context.quantity(m, path + ".mfu", Dimension::fraction);
        if (x && (*x <= 0 || *x > 1)) {
            reader.error(m, path + ".mfu", found_instead_of(m, "an MFU above 0 and at most 1"));
        }
        if (x && *x > 0 && *x <= 1) w.work.mfu = *x;
        else ok = false;
        if (w.work.kind != WorkSpec::Kind::flops) {
            reader.error(m, path + ".mfu",
                         "given for work that is not in FLOPs, expected it only with work: {flops: ...}");
            ok = false;
        }
    }
    if (YAML::Node e = node["estimate"]) {
        const std::string ep = path + ".estimate";
        if (e.IsScalar() && e.Scalar() == "exact") {
            w.estimate_factor.reset();
        } else if (e.IsMap() && reader.check_mapping(e, ep, {"factor"})) {
            const YAML::Node factor = reader.child(e, ep, "factor", true);
            if (auto d = read_distribution(context, factor, ep + ".factor", std::nullopt)) {
                if (d->min_value() < 1) {
                    reader.error(factor, ep + ".factor",
                                 can_take_the_value(d->min_value(),
                                                    "factors >= 1 (a job is killed at its requested time)"));
                    ok = false;
                }
                w.estimate_factor = *d;
            } else {
                ok = false;
            }
        } else if (!e.IsMap()) {
            reader.error(e, ep, found_instead_of(e, "'exact' or {factor: DIST}"));
            ok = false;
        }
    }
    return ok;
}

/// A trace of jobs mapped onto the tenant: SWF (submit, processors as GPUs, run time) or a CSV
/// file with named columns (submit in seconds from the scenario start, GPUs, duration in seconds).
bool read_trace(SectionContext& context, const YAML::Node& node, const std::string& path, WorkloadSpec& w) {
    YamlReader& reader = context.reader;
    const Scenario& scenario = context.scenario;
    if (!reader.check_mapping(node, path, {"file", "format", "columns"})) return false;
    const auto file = reader.text(reader.child(node, path, "file", true), path + ".file", "a trace file name");
    std::string format = default_trace_format;
    if (YAML::Node f = node["format"]) {
        const auto i = context.name_index(f, path + ".format", {"swf", "csv"}, "trace format");
        if (!i) return false;
        format = *i == 0 ? "swf" : "csv";
    }
    if (!file) return false;
    const std::string full = context.file_path(*file);
    try {
        if (format == "swf") {
            const workload::SwfTrace trace = workload::read_swf_file(full);
            for (const auto& record : trace.records) {
                const std::int64_t procs =
                    record.requested_processors > 0 ? record.requested_processors : record.allocated_processors;
                double run = record.run_s;
                if (record.requested_time_s > 0) run = std::min(run, record.requested_time_s);
                if (run <= 0 || procs <= 0) continue; // as the replay skips them
                // As in the replay: the requested time is the estimate, and the job is killed there.
                const double estimate = record.requested_time_s > 0 ? record.requested_time_s : run;
                w.trace.push_back({scenario.start_s + record.submit_s, static_cast<int>(procs), run, estimate});
            }
        } else {
            const std::string cp = path + ".columns";
            const YAML::Node columns = reader.child(node, path, "columns", true);
            if (!columns || !reader.check_mapping(columns, cp, {"submit", "gpus", "duration"})) return false;
            auto column = [&](const char* key) {
                return reader.text(reader.child(columns, cp, key, true), cp + "." + key, "a column name");
            };
            const auto submit = column("submit");
            const auto gpus = column("gpus");
            const auto dur = column("duration");
            if (!submit || !gpus || !dur) return false;
            const auto submits = workload::Distribution::empirical_from_csv(full, *submit);
            const auto g = workload::Distribution::empirical_from_csv(full, *gpus);
            const auto d = workload::Distribution::empirical_from_csv(full, *dur);
            for (std::size_t k = 0; k < submits.values().size(); ++k) {
                if (g.values()[k] < 1 || d.values()[k] <= 0) continue;
                w.trace.push_back({scenario.start_s + submits.values()[k], static_cast<int>(g.values()[k]),
                                   d.values()[k], d.values()[k]});
            }
        }
    } catch (const Error& e) {
        reader.error(node["file"], path + ".file", e.what());
        return false;
    }
    std::stable_sort(w.trace.begin(), w.trace.end(),
                     [](const auto& a, const auto& b) { return a.submit_s < b.submit_s; });
    w.gpus = workload::Distribution::fixed(1);
    return true;
}

/// `checkpoint`: {interval: DURATION or 'auto', cost: DURATION, restart: DURATION}.
bool read_checkpoint(SectionContext& context, const YAML::Node& node, const std::string& path, WorkloadSpec& w) {
    YamlReader& reader = context.reader;
    if (!reader.check_mapping(node, path, {"interval", "cost", "restart"})) return false;
    workload::CheckpointSpec checkpoint;
    bool ok = true;
    const std::string ip = path + ".interval";
    const YAML::Node interval = reader.child(node, path, "interval", true);
    const std::string text = interval.IsScalar() ? std::string(trim(interval.Scalar())) : "";
    if (text == "auto") {
        checkpoint.automatic = true;
    } else if (!text.empty() && std::isalpha(static_cast<unsigned char>(text.front()))) {
        // A word: 'automatic' is too far from 'auto' for did_you_mean, yet surely means it.
        const std::string suggestion =
            text.starts_with("auto") ? "; did you mean 'auto'?" : did_you_mean(text, {"auto"});
        reader.error(interval, ip, found_instead_of(interval, "a duration > 0 like '30min', or 'auto'") + suggestion);
        ok = false;
    } else if (auto x = context.positive(interval, ip, Dimension::duration)) {
        checkpoint.interval_s = *x;
    } else {
        ok = false;
    }
    auto duration = [&](const char* key, double& out) {
        if (YAML::Node v = node[key]) {
            if (auto x = context.non_negative(v, path + "." + key, Dimension::duration)) out = *x;
            else ok = false;
        }
    };
    duration("cost", checkpoint.cost_s);
    duration("restart", checkpoint.restart_s);
    if (ok) w.checkpoint = checkpoint;
    return ok;
}

/// The keys a workload may have: each form takes only its own, since a key another form uses would
/// be silently ignored. A reservation accepts `checkpoint` only to say why it does not apply.
std::vector<std::string> workload_keys(const YAML::Node& node) {
    if (node.IsMap() && node["reservation"]) return {"name", "tenant", "class", "load", "reservation", "checkpoint"};
    std::vector<std::string> allowed = {"name", "tenant", "class", "load", "sites", "gpu_types", "checkpoint"};
    if (node.IsMap() && node["trace"]) {
        allowed.push_back("trace");
    } else {
        for (const char* k : {"arrivals", "gpus", "work", "duration", "mfu", "estimate"}) allowed.push_back(k);
    }
    return allowed;
}

/// One workload; false (after reporting) when any part of it is wrong. `names` holds the names of
/// the workloads before it.
bool read_workload(SectionContext& context, const YAML::Node& node, const std::string& path,
                   const std::vector<std::string>& site_names, std::vector<std::string>& names, WorkloadSpec& w) {
    YamlReader& reader = context.reader;
    const Scenario& scenario = context.scenario;
    bool ok = true;
    if (auto name = reader.text(reader.child(node, path, "name", true), path + ".name", "a workload name")) {
        if (std::find(names.begin(), names.end(), *name) != names.end()) {
            reader.error(node["name"], path + ".name", name_used_twice(*name, "workloads"));
            ok = false;
        }
        w.name = *name;
        names.push_back(*name);
        w.stream = stream_of(*name);
    } else {
        ok = false;
    }
    if (auto t = context.name_index(reader.child(node, path, "tenant", true), path + ".tenant", tenant_names(scenario),
                                    "tenant")) {
        w.tenant = *t;
    } else {
        ok = false;
    }
    const YAML::Node reservation = node["reservation"];
    const YAML::Node trace = node["trace"];
    // The class is required but for a trace, which keeps WorkloadSpec's default class.
    if (YAML::Node c = reader.child(node, path, "class", !trace)) {
        if (auto k = context.name_index(c, path + ".class", class_names(), "class")) w.job_class = listed_classes[*k];
        else ok = false;
    }
    w.load = default_load(w.job_class);
    if (YAML::Node v = node["load"]) {
        const auto x = context.quantity(v, path + ".load", Dimension::fraction);
        if (x && (*x < 0 || *x > 1)) reader.error(v, path + ".load", found_instead_of(v, "a load from 0 to 1"));
        if (x && *x >= 0 && *x <= 1) w.load = *x;
        else ok = false;
    }
    if (YAML::Node v = node["sites"]) {
        if (reader.check_sequence(v, path + ".sites", "site names")) {
            for (std::size_t k = 0; k < v.size(); ++k) {
                const std::string site_path = YamlReader::index_path(path + ".sites", k);
                if (auto si = context.name_index(v[k], site_path, site_names, "site")) w.sites.push_back(*si);
                else ok = false;
            }
        }
    }
    if (YAML::Node v = node["gpu_types"]) {
        if (reader.check_sequence(v, path + ".gpu_types", "GPU model names")) {
            const std::vector<std::string> gpu_names = scenario.catalog.gpu_names();
            for (std::size_t k = 0; k < v.size(); ++k) {
                const std::string gpu_path = YamlReader::index_path(path + ".gpu_types", k);
                if (auto gi = context.name_index(v[k], gpu_path, gpu_names, "GPU")) {
                    w.gpu_types.push_back(gpu_names[*gi]);
                } else {
                    ok = false;
                }
            }
        }
    }
    if (YAML::Node v = node["checkpoint"]; v && reservation) {
        reader.error(v, path + ".checkpoint",
                     "given for a reservation, expected it only for generated or trace jobs: an inference "
                     "reservation holds its GPUs for a fixed period and does not checkpoint");
        ok = false;
    } else if (v) {
        ok = read_checkpoint(context, v, path + ".checkpoint", w) && ok;
    }
    if (reservation) {
        if (w.job_class != JobClass::inference) {
            reader.error(reservation, path + ".reservation",
                         "a reservation for a workload of class '" + std::string(to_string(w.job_class)) +
                             "', expected class 'inference'");
            ok = false;
        }
        ok = read_reservation(context, reservation, path + ".reservation", site_names, w) && ok;
    } else if (trace) {
        ok = read_trace(context, trace, path + ".trace", w) && ok;
    } else {
        ok = read_generated(context, node, path, w) && ok;
    }
    return ok;
}

} // namespace

namespace {

/// Notes, before the run, a workload whose jobs the build-out can never hold: otherwise the user learns
/// only a count of rejected jobs at the end. A pool is the GPUs of one node type at one site, less spares.
void note_jobs_too_large(SectionContext& context, const YAML::Node& node, const std::string& path,
                         const WorkloadSpec& w) {
    const Scenario& scenario = context.scenario;
    std::map<std::pair<std::size_t, std::string>, std::int64_t> pools; // (site, node type) -> GPUs
    for (const infra::OrderSpec& o : scenario.buildout) {
        const infra::NodeType* type = scenario.catalog.find_node(o.node);
        if (!w.may_use(o.site, type->gpu) || pools.count({o.site, o.node})) continue; // each pool once
        pools[{o.site, o.node}] =
            infra::most_nodes_in_service(scenario.buildout, o.site, o.node, scenario.start_s, scenario.end_s) * type->gpus;
    }
    double largest_job = 0;
    const char* key = "gpus";
    if (w.reservation) {
        largest_job = w.reservation->gpus;
        key = "reservation";
    } else if (!w.trace.empty()) {
        for (const auto& job : w.trace) largest_job = std::max(largest_job, static_cast<double>(job.gpus));
        key = "trace";
    } else {
        largest_job = w.gpus.max_value();
    }
    if (pools.empty()) {
        const char* limit = node["gpu_types"] ? "gpu_types" : node["sites"] ? "sites" : nullptr;
        context.reader.note(limit ? node[limit] : node, limit ? path + "." + limit : path,
                            "no order in the build-out has its sites and GPU types: all its jobs will be rejected");
        return;
    }
    std::int64_t largest_pool = 0;
    std::string where;
    for (const auto& [pool, gpus] : pools) {
        if (gpus <= largest_pool) continue;
        largest_pool = gpus;
        where = pool.second + " at " + scenario.sites[pool.first].name;
    }
    if (std::isfinite(largest_job) && largest_job > static_cast<double>(largest_pool)) {
        context.reader.note(node[key], path + "." + key,
                            "jobs of up to " + format_number(largest_job) + " GPUs, more than the " +
                                std::to_string(largest_pool) + " of the largest pool it may use (" + where +
                                "): those jobs will be rejected");
    }
}

} // namespace

// A workload's stream hashes its name, not its position, so that adding a workload leaves the others'
// draws alone.
std::uint64_t stream_of(const std::string& name) {
    std::uint64_t h = 1469598103934665603ull; // FNV-1a, 64 bits
    for (const char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    return h;
}

void read_tenants(SectionContext& context, const YAML::Node& list) {
    if (!list) return;
    YamlReader& reader = context.reader;
    Scenario& scenario = context.scenario;
    if (!reader.check_sequence(list, "tenants", "tenants {name, share}")) return;
    double total = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = YamlReader::index_path("tenants", i);
        const YAML::Node node = list[i];
        if (!reader.check_mapping(node, path, {"name", "share"})) continue;
        TenantSpec tenant;
        if (auto name = reader.text(reader.child(node, path, "name", true), path + ".name", "a tenant name")) {
            for (const auto& other : scenario.tenants) {
                if (other.name == *name) reader.error(node["name"], path + ".name", name_used_twice(*name, "tenants"));
            }
            tenant.name = *name;
        }
        const YAML::Node share_node = reader.child(node, path, "share", true);
        if (auto share = context.quantity(share_node, path + ".share", Dimension::fraction)) {
            if (*share <= 0) {
                reader.error(share_node, path + ".share", found_instead_of(share_node, "a share > 0"));
            } else {
                tenant.share = *share;
                total += *share;
            }
        }
        scenario.tenants.push_back(tenant);
    }
    for (auto& t : scenario.tenants) t.share = total > 0 ? t.share / total : 0; // shares are relative
}

void read_workloads(SectionContext& context, const YAML::Node& list) {
    if (!list) return;
    YamlReader& reader = context.reader;
    if (!reader.check_sequence(list, "workloads", "workloads")) return;
    std::vector<std::string> site_names, names;
    for (const auto& site : context.scenario.sites) site_names.push_back(site.name);
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = YamlReader::index_path("workloads", i);
        const YAML::Node node = list[i];
        if (!reader.check_mapping(node, path, workload_keys(node))) continue;
        WorkloadSpec w;
        if (read_workload(context, node, path, site_names, names, w)) {
            if (context.horizon_ok) note_jobs_too_large(context, node, path, w);
            context.scenario.workloads.push_back(std::move(w));
        }
    }
}

} // namespace capsim::scenario::detail
