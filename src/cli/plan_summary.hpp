#pragma once
#include "capsim/io/results_reader.hpp"

namespace capsim::cli {

/// The key numbers of a `capsim plan` file: the chosen plan, its cost and attainment, the
/// runner-up and the cost-versus-attainment frontier.
void print_plan_summary(const io::ResultsReader& reader);

} // namespace capsim::cli
