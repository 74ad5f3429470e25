// The transport of a build with MPI (-DCAPSIM_WITH_MPI=ON). Only one thread of each process calls
// MPI at a time (the writer thread while runs go on, the main thread before and after), so
// MPI_THREAD_SERIALIZED is enough.
#include <mpi.h>

#include <cstdio>
#include <cstdlib>

#include "capsim/study/rank_transport.hpp"
#include "capsim/util/error.hpp"

namespace capsim::study {

using run::FinishedRun;

namespace {

constexpr int header_tag = 1;
constexpr int values_tag = 2;

class MpiTransport final : public RankTransport {
public:
    MpiTransport() {
        int rank = 0, size = 1;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        rank_ = static_cast<std::size_t>(rank);
        size_ = static_cast<std::size_t>(size);
    }
    ~MpiTransport() override { MPI_Finalize(); }

    std::size_t rank() const override { return rank_; }
    std::size_t size() const override { return size_; }

    bool broadcast(std::vector<std::size_t>& items, bool ok) override {
        unsigned long long header[2] = {ok ? 1ULL : 0ULL, items.size()};
        MPI_Bcast(header, 2, MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
        std::vector<unsigned long long> list(items.begin(), items.end());
        list.resize(header[1]);
        if (header[1] > 0) {
            MPI_Bcast(list.data(), static_cast<int>(list.size()), MPI_UNSIGNED_LONG_LONG, 0, MPI_COMM_WORLD);
        }
        items.assign(list.begin(), list.end());
        return header[0] == 1;
    }

    void send(const FinishedRun& run) override {
        const double header[5] = {static_cast<double>(run.item.point), static_cast<double>(run.item.replication), run.jobs,
                                  run.wall_time_s, static_cast<double>(run.values.size())};
        MPI_Send(header, 5, MPI_DOUBLE, 0, header_tag, MPI_COMM_WORLD);
        MPI_Send(run.values.data(), static_cast<int>(run.values.size()), MPI_DOUBLE, 0, values_tag, MPI_COMM_WORLD);
    }

    std::optional<FinishedRun> poll() override {
        int arrived = 0;
        MPI_Status status;
        MPI_Iprobe(MPI_ANY_SOURCE, header_tag, MPI_COMM_WORLD, &arrived, &status);
        if (!arrived) return std::nullopt;
        double header[5];
        MPI_Recv(header, 5, MPI_DOUBLE, status.MPI_SOURCE, header_tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        FinishedRun run;
        run.item = {static_cast<std::size_t>(header[0]), static_cast<std::size_t>(header[1])};
        run.jobs = header[2];
        run.wall_time_s = header[3];
        run.values.resize(static_cast<std::size_t>(header[4]));
        // Messages from one rank arrive in the order sent, so these values belong to that header.
        MPI_Recv(run.values.data(), static_cast<int>(run.values.size()), MPI_DOUBLE, status.MPI_SOURCE, values_tag,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        return run;
    }

    std::vector<double> all_gather(const std::vector<double>& mine) override {
        std::vector<double> all(mine.size() * size_);
        MPI_Allgather(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(), static_cast<int>(mine.size()),
                      MPI_DOUBLE, MPI_COMM_WORLD);
        return all;
    }

    void barrier() override { MPI_Barrier(MPI_COMM_WORLD); }
    void abort(int exit_code) override { MPI_Abort(MPI_COMM_WORLD, exit_code); }

private:
    std::size_t rank_ = 0;
    std::size_t size_ = 1;
};

} // namespace

std::unique_ptr<RankTransport> make_rank_transport() {
    // Started without mpirun (no launcher in the environment), capsim runs as a process on its own.
    const bool launched = std::getenv("OMPI_COMM_WORLD_SIZE") || std::getenv("PMIX_RANK") || std::getenv("PMI_SIZE");
    if (!launched) return std::make_unique<RankTransport>();
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) {
        int provided = 0;
        MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided);
        if (provided < MPI_THREAD_SERIALIZED) {
            std::fprintf(stderr, "capsim: error: this MPI library cannot serve calls from a writer thread "
                                 "(MPI_THREAD_SERIALIZED)\n");
            MPI_Abort(MPI_COMM_WORLD, static_cast<int>(ExitCode::internal));
        }
    }
    return std::make_unique<MpiTransport>();
}

bool built_with_mpi() { return true; }

} // namespace capsim::study
