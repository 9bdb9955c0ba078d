// SPDX-License-Identifier: GPL-2.0
/*
 * xdpdump: capture the frames arriving on an interface from inside XDP.
 *
 * Its own small program (xdpdump_kern.c) is attached to the interface
 * through a bpf_link, so it goes away with this process however the process
 * ends; the program sends each frame's metadata and first bytes through a
 * BPF ring buffer, and this file reads it with libbpf's ring_buffer and
 * prints one line per frame (or writes a pcap file).
 *
 * Both assignments done: --proto filters in the program (1), and the
 * transport is a BPF ring buffer instead of perf rings (2).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/if_link.h>
#include <netinet/in.h>

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
	"ring lost.";

#define POLL_MS 100		/* how often a stop request is noticed */

static const struct tool_option dump_options[] = {
	{ "write", required_argument, 'w', "FILE", "write a pcap file instead of lines (- for stdout)" },
	{ "count", required_argument, 'c', "N", "stop after N frames" },
	{ "hex", no_argument, 'x', NULL, "print each frame's bytes in hex too" },
	{ "snaplen", required_argument, 's', "BYTES",
	  "capture at most BYTES of each frame (default and most: 65000)" },
	{ "proto", required_argument, 'p', "PROTO",
	  "capture only tcp, udp, icmp, icmp6 or IP protocol number PROTO" },
	{ NULL },
};

struct dump_options {
	const char *pcap_path;	/* NULL: print lines */
	__u64 limit;		/* -c N; 0: no limit */
	__u32 snaplen;
	int proto;		/* -1: every frame */
	bool hex;
};

static struct dump_options dump = { .snaplen = SNAPLEN_MAX, .proto = -1 };

/* Assignment 1: --proto takes a name or an IP protocol number. */
static int parse_proto(const char *arg)
{
	static const struct { const char *name; int proto; } names[] = {
		{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP },
		{ "icmp", IPPROTO_ICMP }, { "icmp6", IPPROTO_ICMPV6 },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(arg, names[i].name))
			return names[i].proto;
	return parse_u32_arg("the protocol (--proto)", arg, 0, 255);
}

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
	case 'p':
		dump.proto = parse_proto(arg);
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

/* Called by ring_buffer for each record: a struct pkt_meta, then the bytes. */
static int on_sample(void *ctx, void *data, size_t size)
{
	struct capture *cap = ctx;
	const struct pkt_meta *meta = data;
	struct frame f;

	if (size < sizeof(*meta) || meta->cap_len > size - sizeof(*meta))
		return 0;	/* not a record this program sends */
	if (cap->limit && cap->captured >= cap->limit) {
		cap->after_limit++;
		return 0;
	}
	f = (struct frame){
		.data = (const __u8 *)(meta + 1),
		.cap_len = meta->cap_len,
		.pkt_len = meta->pkt_len,
		.time = meta->time_ns / 1e9 + cap->clock_offset,
	};
	if (!cap->write_err)
		cap->write_err = show_frame(cap, &f);
	cap->captured++;
	return 0;
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
	skel->rodata->filter_proto = dump.proto;
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

/* A per-CPU counter of the program, added up. */
static __u64 read_counter(const struct bpf_map *counter)
{
	int ncpus = libbpf_num_possible_cpus();
	__u64 values[ncpus], sum = 0;
	__u32 key = 0;

	if (bpf_map__lookup_elem(counter, &key, sizeof(key), values, sizeof(values), 0))
		return 0;
	for (int i = 0; i < ncpus; i++)
		sum += values[i];
	return sum;
}

static void print_summary(const struct capture *cap, __u64 lost, __u64 seen)
{
	fprintf(stderr, "%llu packet%s captured, %llu lost, %llu seen by the program",
		(unsigned long long)cap->captured, cap->captured == 1 ? "" : "s",
		(unsigned long long)lost, (unsigned long long)seen);
	if (cap->after_limit)
		fprintf(stderr, ", %llu more after -c %llu", (unsigned long long)cap->after_limit,
			(unsigned long long)cap->limit);
	fputc('\n', stderr);
}

/* Read the ring until Ctrl-C, -c N, or a write error. */
static int capture_loop(struct ring_buffer *rb, struct capture *cap)
{
	int err = 0;

	while (!stop_requested && !cap->write_err &&
	       !(cap->limit && cap->captured >= cap->limit)) {
		err = ring_buffer__poll(rb, POLL_MS);
		if (err < 0 && err != -EINTR) {
			pr_err("reading the ring buffer failed: %s", strerror(-err));
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
	struct ring_buffer *rb = NULL;
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

	rb = ring_buffer__new(bpf_map__fd(skel->maps.events), on_sample, &cap, NULL);
	if (!rb) {
		pr_err("cannot open the ring buffer: %s", strerror(errno));
		goto cleanup;
	}
	link_fd = attach_capture(skel, &cfg);
	if (link_fd < 0)
		goto cleanup;

	if (cap.pcap && start_pcap(cap.pcap, dump.pcap_path, dump.snaplen))
		goto cleanup;
	pcap_created = false;		/* the capture started: the file stays */
	if (!cap.pcap)
		setvbuf(stdout, NULL, _IOLBF, 0);	/* a line as soon as a frame */
	stop_on_signals();
	if (capture_loop(rb, &cap))
		goto cleanup;

	/* Detach first: then no frame comes in between the last read of the
	 * ring and the read of the counters, and the sums agree. */
	close(link_fd);
	link_fd = -1;
	ring_buffer__consume(rb);
	if (cap.write_err && cap.write_err != -EPIPE)
		pr_err("writing %s failed: %s", dump.pcap_path ?: "stdout",
		       strerror(-cap.write_err));
	else
		ret = EXIT_OK;
	if (!cfg.quiet)
		print_summary(&cap, read_counter(skel->maps.lost), read_counter(skel->maps.seen));

cleanup:
	if (link_fd >= 0)
		close(link_fd);
	ring_buffer__free(rb);
	xdpdump_kern__destroy(skel);
	if (cap.pcap && cap.pcap != stdout)
		fclose(cap.pcap);
	if (pcap_created)
		unlink(dump.pcap_path);
	return ret;
}
