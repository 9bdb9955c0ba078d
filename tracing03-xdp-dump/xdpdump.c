// SPDX-License-Identifier: GPL-2.0
/*
 * xdpdump: capture the frames arriving on an interface from inside XDP.
 *
 * Its own small program (xdpdump_kern.c) is attached to the interface
 * through a bpf_link, so it goes away with this process however the process
 * ends; the program sends each frame's metadata and first bytes through a
 * perf ring per CPU, and this file reads the rings with libbpf's
 * perf_buffer and prints one line per frame (or writes a pcap file).
 */
#define _GNU_SOURCE		/* sched_setaffinity() */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/perf_event.h>

#include "logging.h"
#include "params.h"
#include "util.h"
#include "bpf_load.h"
#include "xdpdump.h"
#include "packet_line.h"
#include "pcap_writer.h"
#include "xdpdump_kern.skel.h"

static const char *doc =
	"Capture the frames arriving on an interface, as tcpdump does, from an XDP\n"
	"program: one line per frame (-x: with its bytes), or a pcap file (-w).\n"
	"Attaches in native mode unless -S or --auto-mode is given. Stops on Ctrl-C\n"
	"or after -c N frames; then says how many were captured and how many the\n"
	"rings lost.";

#define RING_PAGES 256		/* per CPU: 1 MiB with 4 KiB pages */
#define WAKEUP_EVENTS 64	/* samples per wakeup of the reader */
#define POLL_MS 100		/* the longest a sample waits to be read */

static const struct tool_option dump_options[] = {
	{ "write", required_argument, 'w', "FILE", "write a pcap file instead of lines (- for stdout)" },
	{ "count", required_argument, 'c', "N", "stop after N frames" },
	{ "hex", no_argument, 'x', NULL, "print each frame's bytes in hex too" },
	{ "snaplen", required_argument, 's', "BYTES",
	  "capture at most BYTES of each frame (default and most: 65000)" },
	/* Assignment 1: --proto PROTO (tcp, udp, icmp, icmp6 or a number) */
	{ NULL },
};

struct dump_options {
	const char *pcap_path;	/* NULL: print lines */
	__u64 limit;		/* -c N; 0: no limit */
	__u32 snaplen;
	bool hex;
};

static struct dump_options dump = { .snaplen = SNAPLEN_MAX };

static void handle_dump_option(int opt, const char *arg, struct config *cfg)
{
	switch (opt) {
	case 'w':
		dump.pcap_path = arg;
		break;
	case 'c':
		dump.limit = parse_u32_arg("the packet count (-c)", arg, 1, UINT32_MAX);
		break;
	case 'x':
		dump.hex = true;
		break;
	case 's':
		dump.snaplen = parse_u32_arg("the snap length", arg, 1, SNAPLEN_MAX);
		break;
	}
}

/* Everything the ring callbacks need, and what they count. */
struct capture {
	FILE *pcap;		/* or NULL: lines on stdout */
	bool hex;
	__u64 limit;
	double clock_offset;	/* CLOCK_REALTIME - CLOCK_MONOTONIC */
	__u64 captured;		/* shown or written */
	__u64 after_limit;	/* arrived after -c N were captured */
	__u64 lost;		/* reported by the rings' lost records */
	__u64 markers;		/* flush markers that came back */
	int write_err;
};

static double clock_offset(void)
{
	struct timespec real, mono;

	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	return (real.tv_sec - mono.tv_sec) + (real.tv_nsec - mono.tv_nsec) / 1e9;
}

static int show_frame(struct capture *cap, const struct frame *f)
{
	if (cap->pcap)
		return pcap_write_frame(cap->pcap, f);
	print_packet_line(stdout, f);
	if (cap->hex)
		print_hex(stdout, f);
	return ferror(stdout) ? -errno : 0;
}

/* A frame no interface sends (ethertype 0x88b5 is for local experiments):
 * what flush_lost_records() runs the program on. */
static const __u8 flush_marker[ETH_ZLEN] = {
	[12] = 0x88, [13] = 0xb5,
	'x', 'd', 'p', 'd', 'u', 'm', 'p', ' ', 'f', 'l', 'u', 's', 'h',
};

static bool is_flush_marker(const struct pkt_meta *meta, const __u8 *frame)
{
	return meta->pkt_len == sizeof(flush_marker) &&
	       !memcmp(frame, flush_marker, meta->cap_len);
}

/* A sample: a struct pkt_meta, then the bytes. In a perf record it sits
 * at an offset of 12 bytes: copied out, not read in place. */
static void on_sample(struct capture *cap, const __u8 *data, __u32 size)
{
	struct pkt_meta meta;
	struct frame f;

	if (size < sizeof(meta))
		return;		/* not a sample this program sends */
	memcpy(&meta, data, sizeof(meta));
	if (meta.cap_len > size - sizeof(meta))
		return;
	if (is_flush_marker(&meta, data + sizeof(meta))) {
		cap->markers++;
		return;
	}
	if (cap->limit && cap->captured >= cap->limit) {
		cap->after_limit++;
		return;
	}
	f = (struct frame){
		.data = data + sizeof(meta),
		.cap_len = meta.cap_len,
		.pkt_len = meta.pkt_len,
		.time = meta.time_ns / 1e9 + cap->clock_offset,
	};
	if (!cap->write_err)
		cap->write_err = show_frame(cap, &f);
	cap->captured++;
}

/* Called for each record in a ring: a sample, or the count of samples
 * the kernel dropped because the ring was full. */
static enum bpf_perf_event_ret on_record(void *ctx, int cpu, struct perf_event_header *rec)
{
	struct capture *cap = ctx;
	struct sample_record {
		struct perf_event_header header;
		__u32 size;
		__u8 data[];
	} *sample = (void *)rec;
	struct lost_record {
		struct perf_event_header header;
		__u64 id;
		__u64 lost;
	} *lost = (void *)rec;

	if (rec->type == PERF_RECORD_SAMPLE)
		on_sample(cap, sample->data, sample->size);
	else if (rec->type == PERF_RECORD_LOST)
		cap->lost += lost->lost;
	return LIBBPF_PERF_EVENT_CONT;
}

/*
 * perf_buffer__new() opens the per-CPU perf events so that every sample
 * wakes the reader: a wakeup costs more than the sample itself. Here the
 * reader is woken every WAKEUP_EVENTS samples, and reads every ring at
 * least every POLL_MS, so a lone frame still shows at once to a human.
 */
static struct perf_buffer *open_rings(struct xdpdump_kern *skel, struct capture *cap)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_type = PERF_SAMPLE_RAW,
		.sample_period = 1,
		.wakeup_events = WAKEUP_EVENTS,
	};
	struct perf_buffer *pb;

	pb = perf_buffer__new_raw(bpf_map__fd(skel->maps.events), RING_PAGES, &attr,
				  on_record, cap, NULL);
	if (!pb)
		pr_err("cannot open the perf rings: %s", strerror(errno));
	return pb;
}

/* The program, its globals set from the command line, loaded (not yet
 * attached); NULL, the reason reported, if it could not be. */
static struct xdpdump_kern *load_capture_program(void)
{
	struct xdpdump_kern *skel = xdpdump_kern__open();
	int err;

	if (!skel) {
		pr_err("cannot open the capture program: %s", strerror(errno));
		return NULL;
	}
	skel->rodata->snaplen = dump.snaplen;	/* a constant to the verifier */
	/* Assignment 1: set the program's filter here, too. */
	verifier_log_attach(skel->obj);
	logging_silence();	/* the one line below says why a load failed */
	err = xdpdump_kern__load(skel);
	logging_restore();
	if (err) {
		report_load_error(skel->obj, err);
		xdpdump_kern__destroy(skel);
		return NULL;
	}
	return skel;
}

/* A user's program is never replaced: refuse when one is attached. */
static int refuse_if_xdp_attached(const struct config *cfg)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, query);
	int err = bpf_xdp_query(cfg->ifindex, 0, &query);

	if (err) {
		pr_err("cannot query XDP on %s: %s", cfg->ifname, strerror(-err));
		return err;
	}
	if (query.prog_id) {
		pr_err("%s already has an XDP program (id %u): xdpdump never replaces one; "
		       "detach it first, or capture with tcpdump", cfg->ifname, query.prog_id);
		return -EBUSY;
	}
	return 0;
}

/*
 * The pcap file is opened before anything is attached, so an unwritable
 * path fails first. A file that already exists is truncated only once the
 * capture starts; one this run created is removed if it never does.
 */
static int open_pcap(const char *path, FILE **out, bool *created)
{
	int fd;

	*created = false;
	if (!strcmp(path, "-")) {
		*out = stdout;
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd >= 0)
		*created = true;
	else if (errno == EEXIST)
		fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 || !(*out = fdopen(fd, "w"))) {
		int err = -errno;

		pr_err("cannot write %s: %s", path, strerror(-err));
		if (fd >= 0)
			close(fd);
		return err;
	}
	return 0;
}

/* Now that the capture starts, an old file's content goes; the header is
 * written out at once, so a file that takes no data fails here. */
static int start_pcap(FILE *out, const char *path, __u32 snaplen)
{
	struct stat st;
	bool regular = !fstat(fileno(out), &st) && S_ISREG(st.st_mode);
	int err = 0;

	if (regular && ftruncate(fileno(out), 0))
		err = -errno;
	if (!err)
		err = pcap_write_header(out, snaplen);
	if (!err && fflush(out))
		err = -errno;
	if (err)
		pr_err("cannot write %s: %s", path, strerror(-err));
	return err;
}

/*
 * Attach in the chosen mode as a bpf_link and return its fd: the program
 * stays attached while the fd is open, and the kernel closes it when this
 * process ends, however it ends. (bpf_program__attach_xdp() makes the same
 * link, but in the driver's default mode only; the mode is a link flag.)
 */
static int attach_capture(struct xdpdump_kern *skel, const struct config *cfg)
{
	__u32 mode_flag = cfg->attach_mode == XDP_MODE_SKB ? XDP_FLAGS_SKB_MODE :
			  cfg->attach_mode == XDP_MODE_NATIVE ? XDP_FLAGS_DRV_MODE : 0;
	LIBBPF_OPTS(bpf_link_create_opts, opts, .flags = mode_flag);
	int prog_fd = bpf_program__fd(skel->progs.xdpdump_prog);
	int link_fd = bpf_link_create(prog_fd, cfg->ifindex, BPF_XDP, &opts);
	int err = -errno;

	if (link_fd >= 0)
		return link_fd;
	if (err == -EBUSY || err == -EEXIST)
		pr_err("%s already has an XDP program: xdpdump never replaces one",
		       cfg->ifname);
	else if (mode_flag == XDP_FLAGS_DRV_MODE && (err == -EOPNOTSUPP || err == -EINVAL))
		pr_err("%s has no native XDP support: try -S (--skb-mode)", cfg->ifname);
	else
		pr_err("attaching to %s failed: %s", cfg->ifname, strerror(-err));
	return err;
}

static __u64 read_seen(struct xdpdump_kern *skel)
{
	int ncpus = libbpf_num_possible_cpus();
	__u64 values[ncpus], sum = 0;
	__u32 key = 0;

	if (bpf_map__lookup_elem(skel->maps.seen, &key, sizeof(key), values,
				 sizeof(values), 0))
		return 0;
	for (int i = 0; i < ncpus; i++)
		sum += values[i];
	return sum;
}

/*
 * The kernel writes a ring's "lost" record only in front of the next sample
 * that fits, so losses at the very end of a capture would never be reported.
 * With the program detached, run it once on every CPU on flush_marker
 * (BPF_PROG_TEST_RUN): each run's sample pushes out its ring's pending lost
 * record, and on_sample() counts the markers apart (the program counted
 * them as seen, too).
 */
static void flush_lost_records(struct xdpdump_kern *skel, struct perf_buffer *pb)
{
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = flush_marker,
		    .data_size_in = sizeof(flush_marker));
	int prog_fd = bpf_program__fd(skel->progs.xdpdump_prog);
	cpu_set_t saved, one;

	if (sched_getaffinity(0, sizeof(saved), &saved))
		return;
	for (int cpu = 0; cpu < libbpf_num_possible_cpus() && cpu < CPU_SETSIZE; cpu++) {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
		if (sched_setaffinity(0, sizeof(one), &one))
			continue;	/* offline: its ring had no program running */
		bpf_prog_test_run_opts(prog_fd, &run);
	}
	sched_setaffinity(0, sizeof(saved), &saved);
	perf_buffer__consume(pb);
}

static void print_summary(const struct capture *cap, __u64 seen)
{
	fprintf(stderr, "%llu packet%s captured, %llu lost, %llu seen by the program",
		(unsigned long long)cap->captured, cap->captured == 1 ? "" : "s",
		(unsigned long long)cap->lost, (unsigned long long)seen);
	if (cap->after_limit)
		fprintf(stderr, ", %llu more after -c %llu", (unsigned long long)cap->after_limit,
			(unsigned long long)cap->limit);
	fputc('\n', stderr);
}

/* Read the rings until Ctrl-C, -c N, or a write error. */
static int capture_loop(struct perf_buffer *pb, struct capture *cap)
{
	int err = 0;

	while (!stop_requested && !cap->write_err &&
	       !(cap->limit && cap->captured >= cap->limit)) {
		err = perf_buffer__poll(pb, POLL_MS);
		if (err >= 0)
			err = perf_buffer__consume(pb);	/* rings short of a wakeup */
		if (err < 0 && err != -EINTR) {
			pr_err("reading the perf rings failed: %s", strerror(-err));
			return err;
		}
		/* -w -: what was read goes down the pipe now */
		if (fflush(cap->pcap ? cap->pcap : stdout) && !cap->write_err)
			cap->write_err = -errno;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct config cfg = { .attach_mode = XDP_MODE_NATIVE };
	struct capture cap = { .clock_offset = clock_offset() };
	struct xdpdump_kern *skel = NULL;
	struct perf_buffer *pb = NULL;
	int link_fd = -1;
	bool pcap_created = false;
	int ret = EXIT_FAIL;

	parse_cmdline(argc, argv, OPT_DEV | OPT_DEV_I | OPT_MODE, dump_options,
		      handle_dump_option, &cfg, doc);
	logging_init(&cfg);
	signal(SIGPIPE, SIG_IGN);	/* a closed pipe is a write error we report */
	cap.limit = dump.limit;
	cap.hex = dump.hex;

	if (require_bpf_privileges() || refuse_if_xdp_attached(&cfg))
		goto cleanup;
	if (dump.pcap_path && open_pcap(dump.pcap_path, &cap.pcap, &pcap_created))
		goto cleanup;

	skel = load_capture_program();
	if (!skel)
		goto cleanup;

	/* Assignment 2: ring_buffer__new() reads a BPF ring buffer; there
	 * are no lost records then: read the program's own count at exit. */
	pb = open_rings(skel, &cap);
	if (!pb)
		goto cleanup;
	link_fd = attach_capture(skel, &cfg);
	if (link_fd < 0)
		goto cleanup;

	if (cap.pcap && start_pcap(cap.pcap, dump.pcap_path, dump.snaplen))
		goto cleanup;
	pcap_created = false;		/* the capture started: the file stays */
	if (!cap.pcap)
		setvbuf(stdout, NULL, _IOLBF, 0);	/* a line as soon as a frame */
	stop_on_signals();
	if (capture_loop(pb, &cap))
		goto cleanup;

	/* Detach first: then no frame comes in between the last read of the
	 * rings and the read of the counter, and the sums agree. */
	close(link_fd);
	link_fd = -1;
	perf_buffer__consume(pb);
	flush_lost_records(skel, pb);
	if (cap.write_err && cap.write_err != -EPIPE)
		pr_err("writing %s failed: %s", dump.pcap_path ?: "stdout",
		       strerror(-cap.write_err));
	else
		ret = EXIT_OK;
	if (!cfg.quiet)
		print_summary(&cap, read_seen(skel) - cap.markers);

cleanup:
	if (link_fd >= 0)
		close(link_fd);
	perf_buffer__free(pb);
	xdpdump_kern__destroy(skel);
	if (cap.pcap && cap.pcap != stdout)
		fclose(cap.pcap);
	if (pcap_created)
		unlink(dump.pcap_path);
	return ret;
}
