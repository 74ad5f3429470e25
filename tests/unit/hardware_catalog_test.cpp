#include "capsim/infra/hardware_catalog.hpp"

#include <gtest/gtest.h>

namespace capsim::infra {
namespace {

TEST(HardwareCatalog, BuiltInIsConsistent) {
    const HardwareCatalog catalog = HardwareCatalog::built_in();
    EXPECT_TRUE(catalog.problems().empty()) << catalog.problems().front();
    EXPECT_EQ(catalog.gpu_names(), (std::vector<std::string>{"A100", "H100", "H200", "B200", "GB200", "MI300X"}));
    for (const NodeType& node : catalog.nodes()) {
        EXPECT_NE(catalog.find_gpu(node.gpu), nullptr) << node.name << " names " << node.gpu;
        EXPECT_GT(node.gpus, 0) << node.name;
        EXPECT_GE(node.overhead_w, 0) << node.name;
    }
    for (const char* name : {"hgx-a100", "hgx-h100", "hgx-h200", "hgx-b200", "gb200-nvl72", "mi300x-8"}) {
        EXPECT_NE(catalog.find_node(name), nullptr) << name;
    }
    EXPECT_EQ(catalog.find_gpu("h100"), nullptr) << "names are exact";
    EXPECT_EQ(catalog.find_node("dgx-x"), nullptr);
}

TEST(HardwareCatalog, H100Figures) {
    const HardwareCatalog catalog = HardwareCatalog::built_in();
    const GpuSpec* h100 = catalog.find_gpu("H100");
    ASSERT_NE(h100, nullptr);
    EXPECT_DOUBLE_EQ(h100->peak_bf16_flops, 989e12);
    EXPECT_DOUBLE_EQ(h100->tdp_w, 700);
    EXPECT_DOUBLE_EQ(h100->idle_w, 87.5);
    EXPECT_DOUBLE_EQ(h100->hbm_gb, 80);

    const NodeType* node = catalog.find_node("hgx-h100");
    ASSERT_NE(node, nullptr);
    EXPECT_EQ(node->gpu, "H100");
    EXPECT_EQ(node->gpus, 8);
    EXPECT_DOUBLE_EQ(node->overhead_w, 4600);
    EXPECT_DOUBLE_EQ(node_max_power_w(*node, *h100), 10'200); // DGX H100: 10.2 kW max
    EXPECT_DOUBLE_EQ(node_peak_bf16_flops(*node, *h100), 8 * 989e12);
    EXPECT_DOUBLE_EQ(node->price, 8 * 35'000 * 1.25);
}

TEST(HardwareCatalog, NodePowersMatchDomainFigures) {
    const HardwareCatalog catalog = HardwareCatalog::built_in();
    const auto max_power_w = [&](const char* node_name) {
        const NodeType* node = catalog.find_node(node_name);
        return node_max_power_w(*node, *catalog.find_gpu(node->gpu));
    };
    EXPECT_DOUBLE_EQ(max_power_w("hgx-a100"), 6'500);
    EXPECT_DOUBLE_EQ(max_power_w("hgx-b200"), 14'300);
    EXPECT_DOUBLE_EQ(max_power_w("gb200-nvl72"), 132'000);
    EXPECT_DOUBLE_EQ(catalog.find_node("gb200-nvl72")->price, 3'000'000);
}

TEST(HardwareCatalog, NewerGenerationsReleaseLater) {
    const HardwareCatalog catalog = HardwareCatalog::built_in();
    const auto released = [&](const char* name) {
        const GpuSpec* gpu = catalog.find_gpu(name);
        return gpu->release_year * 12 + gpu->release_month;
    };
    EXPECT_LT(released("A100"), released("H100"));
    EXPECT_LT(released("H100"), released("MI300X"));
    EXPECT_LT(released("MI300X"), released("H200"));
    EXPECT_LT(released("H200"), released("B200"));
    EXPECT_LT(released("B200"), released("GB200"));
}

TEST(HardwareCatalog, ReportsNodeWithUnknownGpu) {
    HardwareCatalog catalog = HardwareCatalog::built_in();
    catalog.set_node(NodeType{"custom", "H10", 4, 1000, 100'000});
    const auto problems = catalog.problems();
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("'custom'"), std::string::npos) << problems[0];
    EXPECT_NE(problems[0].find("'H10'"), std::string::npos) << problems[0];
    EXPECT_NE(problems[0].find("did you mean 'H100'"), std::string::npos) << problems[0];
}

TEST(HardwareCatalog, ReportsImpossibleFigures) {
    HardwareCatalog catalog;
    catalog.set_gpu(GpuSpec{"X", 1e15, 80, 500, 600, 2024, 13, 1000});
    catalog.set_node(NodeType{"x-0", "X", 0, -1, 0});
    const auto problems = catalog.problems();
    EXPECT_EQ(problems.size(), 4u); // idle > tdp, month 13, gpus 0, overhead < 0
    for (const std::string& p : problems) EXPECT_FALSE(p.empty());
}

TEST(HardwareCatalog, SetReplacesByNameInPlace) {
    HardwareCatalog catalog = HardwareCatalog::built_in();
    const std::size_t gpu_count = catalog.gpus().size();
    const std::size_t node_count = catalog.nodes().size();

    GpuSpec h100 = *catalog.find_gpu("H100");
    h100.price = 25'000;
    catalog.set_gpu(h100);
    EXPECT_EQ(catalog.gpus().size(), gpu_count);
    EXPECT_DOUBLE_EQ(catalog.find_gpu("H100")->price, 25'000);
    EXPECT_EQ(catalog.gpu_names()[1], "H100") << "a replaced entry keeps its place";

    catalog.set_node(NodeType{"hgx-h100", "H100", 4, 2000, 150'000});
    EXPECT_EQ(catalog.nodes().size(), node_count);
    EXPECT_EQ(catalog.find_node("hgx-h100")->gpus, 4);

    catalog.set_gpu(GpuSpec{"TPU", 459e12, 95, 600, 75, 2024, 5, 20'000});
    catalog.set_node(NodeType{"tpu-4", "TPU", 4, 1000, 100'000});
    EXPECT_EQ(catalog.gpu_names().back(), "TPU");
    EXPECT_EQ(catalog.node_names().back(), "tpu-4");
    EXPECT_TRUE(catalog.problems().empty());
}

} // namespace
} // namespace capsim::infra
