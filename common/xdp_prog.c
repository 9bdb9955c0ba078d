// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "bpf_load.h"
#include "logging.h"
#include "util.h"
#include "xdp_prog.h"

/*
 * Look at FILE before libbpf does: libbpf blocks forever opening a FIFO and
 * says "Unknown error 4001" for much of the rest.
 */
static int check_object_file(const char *file)
{
	Elf64_Ehdr eh;
	struct stat st;
	ssize_t n;
	int fd;

	if (stat(file, &st)) {
		pr_err("cannot open %s: %s (run make, or give another file)", file, strerror(errno));
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		pr_err("%s is not a regular file: give a BPF object file (.o)", file);
		return -EINVAL;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pr_err("cannot open %s: %s", file, strerror(errno));
		return -errno;
	}
	n = read(fd, &eh, sizeof(eh));
	close(fd);
	if (n == 0) {
		pr_err("%s is empty: rebuild it (make)", file);
		return -EINVAL;
	}
	if (n < (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		pr_err("%s is not an ELF object file: give a BPF object (.o) built by clang -target bpf",
		       file);
		return -EINVAL;
	}
	if (eh.e_machine != EM_BPF || eh.e_type != ET_REL) {
		pr_err("%s is not a BPF object (it is built for another machine): build it with clang -target bpf",
		       file);
		return -EINVAL;
	}
	return 0;
}

static struct bpf_program *find_program(struct bpf_object *obj, const char *name)
{
	struct bpf_program *prog;

	if (name)
		return bpf_object__find_program_by_name(obj, name);
	bpf_object__for_each_program(prog, obj)
		if (bpf_program__type(prog) == BPF_PROG_TYPE_XDP)
			return prog;
	return NULL;
}

static struct bpf_object *open_object(const char *file)
{
	struct bpf_object *obj;
	char msg[128];
	int err;

	if (check_object_file(file))
		return NULL;
	logging_silence();	/* libbpf warns of libxdp's metadata section */
	obj = bpf_object__open_file(file, NULL);
	logging_restore();
	err = libbpf_get_error(obj);
	if (err) {
		libbpf_strerror(err, msg, sizeof(msg));
		pr_err("cannot read %s: %s (truncated or damaged? rebuild it)", file, msg);
		return NULL;
	}
	return obj;
}

struct bpf_object *xdp_obj_open(const char *file, const char *prog_name,
				bool force_xdp, struct bpf_program **prog)
{
	struct bpf_object *obj = open_object(file);
	struct bpf_program *p;
	struct bpf_map *map;

	if (!obj)
		return NULL;
	*prog = find_program(obj, prog_name);
	if (!*prog) {
		if (prog_name)
			pr_err("no program '%s' in %s (list them with --list)", prog_name, file);
		else
			pr_err("no XDP program in %s", file);
		goto fail;
	}
	if (bpf_program__type(*prog) != BPF_PROG_TYPE_XDP) {
		if (!force_xdp) {
			pr_err("%s in %s is not an XDP program (its section is \"%s\"): only SEC(\"xdp\") programs attach here",
			       bpf_program__name(*prog), file, bpf_program__section_name(*prog));
			goto fail;
		}
		bpf_program__set_type(*prog, BPF_PROG_TYPE_XDP);
	}
	bpf_object__for_each_program(p, obj)
		bpf_program__set_autoload(p, p == *prog);
	/* Maps declared "pinned by name" would otherwise be pinned by libbpf
	 * at /sys/fs/bpf/<map name> and shared by everything loaded so. */
	bpf_object__for_each_map(map, obj)
		bpf_map__set_pin_path(map, NULL);
	verifier_log_attach(obj);
	return obj;
fail:
	bpf_object__close(obj);
	return NULL;
}

struct xdp_program *xdp_prog_open(const struct config *cfg)
{
	struct bpf_program *bpf_prog;
	struct bpf_object *obj;
	struct xdp_program *prog;
	int err;

	obj = xdp_obj_open(cfg->filename, cfg->prog_name, false, &bpf_prog);
	if (!obj)
		return NULL;
	DECLARE_LIBXDP_OPTS(xdp_program_opts, opts, .obj = obj,
			    .prog_name = bpf_program__name(bpf_prog));
	prog = xdp_program__create(&opts);
	err = libxdp_get_error(prog);
	if (err) {
		pr_err("cannot use %s from %s: %s", bpf_program__name(bpf_prog),
		       cfg->filename, strerror(-err));
		bpf_object__close(obj);
		return NULL;
	}
	return prog;
}

void xdp_prog_close(struct xdp_program *prog)
{
	/* The object was opened here, so libxdp leaves it to us. */
	struct bpf_object *obj = xdp_program__bpf_obj(prog);

	xdp_program__close(prog);
	bpf_object__close(obj);
}

static const char *attach_hint(int err, const struct config *cfg)
{
	switch (err) {
	case -EOPNOTSUPP:
	case -EINVAL:
		return cfg->attach_mode == XDP_MODE_NATIVE ?
			"; the driver has no native XDP support: try --skb-mode" : "";
	case -EBUSY:
	case -EEXIST:
		return "; an XDP program is already attached: unload it first (--unload-all)";
	case -EPERM:
		return "; needs root (or CAP_BPF and CAP_NET_ADMIN)";
	default:
		return "";
	}
}

void report_attach_error(struct xdp_program *prog, const struct config *cfg, int err)
{
	char msg[128], kernel[300] = "";

	/* Loading is part of attaching: a program or map the kernel refused
	 * is told as a load error. */
	if (verifier_rejected() || logging_library_reason("map '")) {
		report_load_error(xdp_program__bpf_obj(prog), err);
		return;
	}
	libxdp_strerror(err, msg, sizeof(msg));
	if (*logging_kernel_reason())
		snprintf(kernel, sizeof(kernel), " (kernel: %s)", logging_kernel_reason());
	pr_err("attaching %s to %s failed: %s%s%s", xdp_program__name(prog), cfg->ifname,
	       msg, kernel, attach_hint(err, cfg));
}

/* One line when libxdp had to attach without its multi-program dispatcher. */
static void note_legacy_mode(const struct config *cfg)
{
	struct xdp_multiprog *mp = xdp_multiprog__get_from_ifindex(cfg->ifindex);

	if (libxdp_get_error(mp) || !mp)
		return;
	if (xdp_multiprog__is_legacy(mp))
		pr_info("Note: attached without libxdp's multi-program dispatcher "
			"(this kernel refuses freplace): one program per interface");
	xdp_multiprog__close(mp);
}

int xdp_prog_attach(struct xdp_program *prog, const struct config *cfg)
{
	int err = require_bpf_privileges();

	if (!err)
		err = ensure_bpffs();	/* libxdp keeps its state there */
	if (err)
		return err;
	logging_silence();
	err = xdp_program__attach(prog, cfg->ifindex, cfg->attach_mode, 0);
	logging_restore();
	if (err) {
		report_attach_error(prog, cfg, err);
		return err;
	}
	note_legacy_mode(cfg);
	return 0;
}

static int detach_id(struct xdp_multiprog *mp, const struct config *cfg)
{
	enum xdp_attach_mode mode = xdp_multiprog__attach_mode(mp);
	struct xdp_program *p = NULL;

	if (xdp_multiprog__is_legacy(mp)) {
		p = xdp_multiprog__main_prog(mp);
		if (xdp_program__id(p) == cfg->unload_id)
			return xdp_multiprog__detach(mp);
	}
	while ((p = xdp_multiprog__next_prog(p, mp)))
		if (xdp_program__id(p) == cfg->unload_id)
			return xdp_program__detach(p, cfg->ifindex, mode, 0);
	pr_err("no XDP program with id %u on %s (see: xdp-loader status %s)",
	       cfg->unload_id, cfg->ifname, cfg->ifname);
	return -ENOENT;
}

int xdp_prog_detach(const struct config *cfg)
{
	struct xdp_multiprog *mp;
	int err;

	err = require_bpf_privileges();
	if (!err)
		err = ensure_bpffs();
	if (err)
		return err;
	logging_silence();
	mp = xdp_multiprog__get_from_ifindex(cfg->ifindex);
	err = libxdp_get_error(mp);
	if (err || !mp) {
		logging_restore();
		pr_err("no XDP program attached to %s", cfg->ifname);
		return err ? err : -ENOENT;
	}
	err = cfg->unload_all ? xdp_multiprog__detach(mp) : detach_id(mp, cfg);
	logging_restore();
	if (err && err != -ENOENT)
		pr_err("detaching from %s failed: %s%s", cfg->ifname, strerror(-err),
		       err == -EPERM ? ": needs root" : "");
	else if (!err && cfg->unload_all)
		pr_info("Detached every XDP program from %s", cfg->ifname);
	else if (!err)
		pr_info("Detached program %u from %s", cfg->unload_id, cfg->ifname);
	xdp_multiprog__close(mp);
	return err;
}

int xdp_prog_list(const char *file)
{
	struct bpf_object *obj = open_object(file);
	struct bpf_program *p;

	if (!obj)
		return -EINVAL;
	bpf_object__for_each_program(p, obj)
		if (bpf_program__type(p) == BPF_PROG_TYPE_XDP)
			printf("%s\n", bpf_program__name(p));
	bpf_object__close(obj);
	return 0;
}
