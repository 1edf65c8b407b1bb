/* SPDX-License-Identifier: Apache-2.0 */
/* config.json (OCI runtime-spec), parsed with jansson into plain structs.
 * Strings point into the JSON tree the spec keeps alive. Unknown fields are
 * ignored; wrong types and missing required fields are errors. */
#ifndef PC_SPEC_H
#define PC_SPEC_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

struct pc_rlimit {
	int resource;
	rlim_t soft, hard;
};

struct pc_caps {
	bool present;		/* "capabilities" given */
	uint64_t bounding, effective, permitted, inheritable, ambient;
};

struct pc_process {
	bool terminal;
	uid_t uid;
	gid_t gid;
	gid_t *gids;
	size_t ngids;
	const char **args;	/* NULL-terminated */
	const char **env;	/* NULL-terminated */
	const char *cwd;
	struct pc_caps caps;
	struct pc_rlimit *rlimits;
	size_t nrlimits;
	bool no_new_privs;
	bool has_oom_score_adj;
	int oom_score_adj;
	bool has_umask;
	mode_t umask;
	unsigned int console_height, console_width;
	const char *apparmor_profile;	/* NULL or "": none */
	const char *selinux_label;
};

struct pc_mount {
	const char *destination, *type, *source;
	unsigned long flags;		/* MS_* set */
	unsigned long clear;		/* MS_* explicitly cleared (rw, dev, ...) */
	unsigned long propagation;	/* MS_PRIVATE/SLAVE/SHARED/UNBINDABLE (|MS_REC) */
	char *data;			/* filesystem options, comma-separated */
	bool bind;
	uint64_t rattr_set, rattr_clr;	/* rro, rnosuid, ...: MOUNT_ATTR_*, recursive */
};

struct pc_namespace {
	int type;		/* CLONE_NEW* */
	const char *path;	/* join this one (setns), or NULL: new */
};

struct pc_device {
	const char *path;
	char type;		/* 'c', 'b', 'u', 'p' */
	long major, minor;
	mode_t mode;
	bool has_mode;
	uid_t uid;
	gid_t gid;
};

struct pc_idmap {
	uint32_t container, host, size;
};

struct pc_spec {
	json_t *json;		/* whole document, owns the strings */
	const char *oci_version;
	bool has_process;
	struct pc_process process;
	const char *root_path;
	bool root_readonly;
	const char *hostname;
	struct pc_mount *mounts;
	size_t nmounts;
	struct pc_namespace *namespaces;
	size_t nnamespaces;
	struct pc_device *devices;
	size_t ndevices;
	const char **masked_paths;	/* NULL-terminated */
	const char **readonly_paths;	/* NULL-terminated */
	struct pc_idmap *uid_maps, *gid_maps;	/* linux.uidMappings, gidMappings */
	size_t nuid_maps, ngid_maps;
	const char *cgroups_path;
	const char *rootfs_propagation;
	const char *mount_label;	/* linux.mountLabel (SELinux) */
	json_t *resources;	/* linux.resources, borrowed */
	json_t *seccomp;	/* linux.seccomp, borrowed */
	json_t *sysctl;		/* linux.sysctl, borrowed */
	json_t *hooks;		/* hooks, borrowed */
	json_t *annotations;	/* annotations, borrowed */
};

/* Parse a config.json document (text). */
int pc_spec_parse(const char *text, struct pc_spec *spec);
int pc_spec_load(const char *path, struct pc_spec *spec);
void pc_spec_free(struct pc_spec *spec);
/* Parse a "process" object (config.json's, or exec --process FILE's). The
 * result's strings live as long as obj. */
int pc_process_parse(json_t *obj, struct pc_process *p);
void pc_process_free(struct pc_process *p);
/* The namespace of a type, or NULL. */
const struct pc_namespace *pc_spec_ns(const struct pc_spec *spec, int type);
/* "pid", "network", ... -> CLONE_NEW*; 0 when unknown. */
int pc_ns_type(const char *name);
const char *pc_ns_proc_name(int type);	/* CLONE_NEWNET -> "net" */
/* "CAP_KILL" -> number, or -EINVAL. */
int pc_cap_parse(const char *name);
/* The i-th mount option name the parser knows, NULL past the end. */
const char *pc_mount_option_name(size_t i);
/* Parse mount options into m (flags, propagation, data). */
int pc_mount_options(json_t *options, struct pc_mount *m);

#endif
