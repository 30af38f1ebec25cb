#include "core/bpf_scheduler.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "bpf/baseline_fifo.skel.h"
#include "bpf/gamesched.skel.h"
#include "core/libbpf_owners.h"

namespace gamesched {
namespace {

template <typename Skel, void (*Destroy)(Skel*)>
using SkeletonPtr = std::unique_ptr<Skel, SkeletonDeleter<Skel, Destroy>>;

// Members are destroyed in reverse order: the link (detach) goes before the skeleton.
template <typename Skel, void (*Destroy)(Skel*)>
class Attached final : public AttachedScheduler {
public:
    Attached(const char* name, SkeletonPtr<Skel, Destroy> skel, BpfLinkPtr link, int tunables_fd)
        : name_(name), skel_(std::move(skel)), link_(std::move(link)), tunables_fd_(tunables_fd) {}

    [[nodiscard]] const char* ops_name() const override { return name_; }
    [[nodiscard]] gs_exit_info exit_info() const override { return skel_->data->exit_info; }
    [[nodiscard]] int exit_events_fd() const override { return bpf_map__fd(skel_->maps.exit_events); }
    [[nodiscard]] int stats_fd() const override { return bpf_map__fd(skel_->maps.stats); }
    [[nodiscard]] int tunables_fd() const override { return tunables_fd_; }
    gs_exit_info detach() override {
        link_.reset();
        return exit_info();
    }

private:
    const char* name_;
    SkeletonPtr<Skel, Destroy> skel_;
    BpfLinkPtr link_;
    int tunables_fd_;
};

Error libbpf_error(const std::string& what, int err) { return Error::from_errno(what, err < 0 ? -err : err); }

Result<BpfLinkPtr> attach_struct_ops(bpf_map* ops_map) {
    bpf_link* link = bpf_map__attach_struct_ops(ops_map);
    if (link == nullptr) {
        return libbpf_error("attaching struct_ops (is another sched_ext scheduler attached, or does "
                            "the kernel lack sched_ext?)", errno);
    }
    return BpfLinkPtr(link);
}

void fill_topology(gamesched_bpf* skel, const Topology& topo) {
    auto nr_llcs = std::clamp<unsigned>(topo.nr_llcs, 1, GS_MAX_LLCS);
    skel->rodata->nr_llcs = nr_llcs;
    for (unsigned cpu = 0; cpu < topo.cpu_llc.size() && cpu < GS_MAX_CPUS; ++cpu) {
        skel->rodata->cpu_llc[cpu] = std::min(topo.cpu_llc[cpu], nr_llcs - 1);
    }
}

Result<std::unique_ptr<AttachedScheduler>> attach_gamesched(const AttachOptions& options) {
    SkeletonPtr<gamesched_bpf, gamesched_bpf__destroy> skel(gamesched_bpf__open());
    if (!skel) return libbpf_error("opening the gamesched BPF object", errno);
    fill_topology(skel.get(), options.topology);
    if (int err = gamesched_bpf__load(skel.get()); err != 0) {
        return libbpf_error("loading the gamesched BPF programs (the verifier log above says why)", err);
    }
    auto link = attach_struct_ops(skel->maps.gamesched_ops);
    if (!link) return link.error();
    int tunables = bpf_map__fd(skel->maps.tunables);
    return std::unique_ptr<AttachedScheduler>(
        std::make_unique<Attached<gamesched_bpf, gamesched_bpf__destroy>>(
            GS_OPS_NAME, std::move(skel), std::move(*link), tunables));
}

Result<std::unique_ptr<AttachedScheduler>> attach_fifo() {
    SkeletonPtr<baseline_fifo_bpf, baseline_fifo_bpf__destroy> skel(baseline_fifo_bpf__open());
    if (!skel) return libbpf_error("opening the FIFO baseline BPF object", errno);
    if (int err = baseline_fifo_bpf__load(skel.get()); err != 0) {
        return libbpf_error("loading the FIFO baseline BPF programs", err);
    }
    auto link = attach_struct_ops(skel->maps.fifo_ops);
    if (!link) return link.error();
    return std::unique_ptr<AttachedScheduler>(
        std::make_unique<Attached<baseline_fifo_bpf, baseline_fifo_bpf__destroy>>(
            GS_FIFO_OPS_NAME, std::move(skel), std::move(*link), -1));
}

}  // namespace

Result<std::unique_ptr<AttachedScheduler>> attach_scheduler(const AttachOptions& options) {
    return options.kind == SchedulerKind::Gamesched ? attach_gamesched(options) : attach_fifo();
}

}  // namespace gamesched
