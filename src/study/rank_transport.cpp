// The transport of a build without MPI: every run is a process on its own.
#include "capsim/study/rank_transport.hpp"

namespace capsim::study {

std::unique_ptr<RankTransport> make_rank_transport() { return std::make_unique<RankTransport>(); }
bool built_with_mpi() { return false; }

} // namespace capsim::study
