#pragma once
#include <optional>
#include <string>
#include <vector>

#include "capsim/io/hdf5_file.hpp"

namespace capsim::io {

/// Reads back what capsim wrote: attributes and 1-D datasets of a results file, for `capsim summary`
/// (a planner on a cluster login node needs no Python to see the key numbers).
class ResultsReader {
public:
    /// Opens read-only; IoError if the file cannot be opened or is not HDF5.
    explicit ResultsReader(const std::string& path);

    bool has(const std::string& path) const; // a group or dataset, e.g. "/summary" or "/sites/site"
    std::optional<double> number_attribute(const std::string& object, const std::string& name) const;
    std::optional<std::string> string_attribute(const std::string& object, const std::string& name) const;
    std::vector<double> doubles(const std::string& dataset) const;
    std::vector<std::string> strings(const std::string& dataset) const;

private:
    Handle file_;
};

} // namespace capsim::io
