#pragma once
#include <CLI/CLI.hpp>

namespace capsim::cli {

struct CatalogCommandOptions {
    bool json = false;
};

/// `capsim catalog [--json]`: lists the built-in GPU models and node types with their figures.
CLI::App* add_catalog_command(CLI::App& app, CatalogCommandOptions& options);
void run_catalog_command(const CatalogCommandOptions& options);

} // namespace capsim::cli
