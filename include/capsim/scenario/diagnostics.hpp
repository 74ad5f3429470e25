#pragma once
#include <string>
#include <vector>

#include "capsim/util/error.hpp"

namespace capsim::scenario {

/// One problem found in a scenario: where it is, which key, what was found and what was expected.
/// Printed as `file:line:col: error: <key path>: <message>`; a value given with --set is located by
/// the override instead of a line.
struct Diagnostic {
    std::string file;
    int line = 0;   // 1-based; 0 when unknown
    int column = 0; // 1-based; 0 when unknown
    std::string key_path;
    std::string message;
    std::string origin; // "--set a.b=v" when the value came from the command line
    bool note = false;  // a note (the run goes ahead) rather than an error

    std::string format() const;
};

/// The problems of one scenario, collected so that `capsim validate` reports all of them at once.
class Diagnostics {
public:
    void add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }
    bool empty() const { return items_.empty(); }
    const std::vector<Diagnostic>& items() const { return items_; }
    std::string format() const; // one line per problem

private:
    std::vector<Diagnostic> items_;
};

/// A scenario that cannot be run: carries every problem found.
class ScenarioError : public InputError {
public:
    explicit ScenarioError(Diagnostics diagnostics)
        : InputError(diagnostics.format()), diagnostics_(std::move(diagnostics)) {}
    const Diagnostics& diagnostics() const { return diagnostics_; }

private:
    Diagnostics diagnostics_;
};

} // namespace capsim::scenario
