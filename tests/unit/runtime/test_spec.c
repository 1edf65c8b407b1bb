// SPDX-License-Identifier: Apache-2.0
/* config.json parsing: valid documents, invalid JSON, wrong types, unknown
 * fields, missing required fields, options. */
#include <errno.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <cmocka.h>

#include "err.h"
#include "spec.h"

#define MIN_PROCESS "\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"}"
#define MIN_DOC "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"}," MIN_PROCESS

/* Parse text; on failure the message must contain want. */
static int parse(const char *text, struct pc_spec *s, const char *want)
{
	int ret;

	pc_err_clear();
	ret = pc_spec_parse(text, s);
	if (want) {
		assert_int_equal(ret, -EINVAL);
		if (!strstr(pc_err_msg(), want))
			fail_msg("message \"%s\" lacks \"%s\"", pc_err_msg(), want);
	}
	return ret;
}

static void test_minimal(void **state)
{
	struct pc_spec s;

	(void)state;
	assert_int_equal(parse(MIN_DOC "}", &s, NULL), 0);
	assert_string_equal(s.oci_version, "1.0.2");
	assert_string_equal(s.root_path, "rootfs");
	assert_false(s.root_readonly);
	assert_true(s.has_process);
	assert_string_equal(s.process.args[0], "sh");
	assert_null(s.process.args[1]);
	assert_string_equal(s.process.cwd, "/");
	assert_null(s.process.env[0]);
	assert_int_equal(s.nmounts, 0);
	assert_null(s.masked_paths[0]);
	pc_spec_free(&s);
}

static void test_invalid_json(void **state)
{
	struct pc_spec s;

	(void)state;
	parse("{\"ociVersion\": ", &s, "invalid JSON");
	parse("", &s, "invalid JSON");
	parse("{\"a\":1,}", &s, "invalid JSON");
	parse("[1,2]", &s, "must be a JSON object");
}

static void test_wrong_types(void **state)
{
	static const struct { const char *doc, *want; } cases[] = {
		{ "{\"ociVersion\":1,\"root\":{\"path\":\"r\"}}", "ociVersion must be a string" },
		{ "{\"ociVersion\":\"1\",\"root\":\"r\"}", "root must be an object" },
		{ "{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\",\"readonly\":\"yes\"}}",
		  "root.readonly must be a boolean" },
		{ "{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":\"sh\",\"cwd\":\"/\"}}",
		  "process.args must be an array" },
		{ "{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[1],\"cwd\":\"/\"}}",
		  "process.args[0] must be a string" },
		{ MIN_DOC ",\"hostname\":5}", "hostname must be a string" },
		{ MIN_DOC ",\"mounts\":{}}", "mounts must be an array" },
		{ MIN_DOC ",\"mounts\":[{\"destination\":\"/x\",\"type\":\"tmpfs\",\"options\":[1]}]}",
		  "options[0] must be a string" },
		{ MIN_DOC ",\"linux\":{\"namespaces\":[{\"type\":\"nope\"}]}}", "unknown namespace type" },
		{ MIN_DOC ",\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\"}]}}",
		  "given twice" },
		{ MIN_DOC ",\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"q\"}]}}", "bad type" },
		{ MIN_DOC ",\"linux\":{\"cgroupsPath\":[]}}", "linux.cgroupsPath must be a string" },
		{ MIN_DOC ",\"annotations\":[]}", "annotations must be an object" },
		{ "{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"],\"cwd\":\"/\","
		  "\"user\":{\"uid\":-1}}}", "process.user.uid out of range" },
		{ "{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"],\"cwd\":\"/\","
		  "\"terminal\":\"yes\"}}", "process.terminal must be a boolean" },
		{ "{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"],\"cwd\":\"/\","
		  "\"rlimits\":[{\"type\":\"RLIMIT_BOGUS\",\"soft\":1,\"hard\":1}]}}", "unknown rlimit type" },
		{ "{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"],\"cwd\":\"/\","
		  "\"capabilities\":{\"bounding\":[\"CAP_BOGUS\"]}}}", "unknown capability" },
	};
	struct pc_spec s;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pc_err_clear();
		assert_int_not_equal(pc_spec_parse(cases[i].doc, &s), 0);
		if (!strstr(pc_err_msg(), cases[i].want))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, pc_err_msg(), cases[i].want);
	}
}

static void test_missing_required(void **state)
{
	struct pc_spec s;

	(void)state;
	parse("{\"root\":{\"path\":\"r\"}}", &s, "ociVersion is required");
	parse("{\"ociVersion\":\"1\"}", &s, "root is required");
	parse("{\"ociVersion\":\"1\",\"root\":{}}", &s, "root.path is required");
	parse("{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"]}}", &s,
	      "process.cwd is required");
	parse("{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"process\":{\"cwd\":\"/\"}}", &s,
	      "process.args must not be empty");
	parse("{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"],\"cwd\":\"x\"}}",
	      &s, "not an absolute path");
	parse(MIN_DOC ",\"mounts\":[{\"type\":\"tmpfs\"}]}", &s, "destination is required");
}

static void test_unknown_fields(void **state)
{
	struct pc_spec s;

	(void)state;
	assert_int_equal(parse("{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\",\"new\":1},"
			       "\"process\":{\"args\":[\"a\"],\"cwd\":\"/\",\"future\":{\"x\":[]}},"
			       "\"vm\":{\"hypervisor\":{}},\"linux\":{\"intelRdt\":{},\"x\":1}}",
			       &s, NULL), 0);
	assert_string_equal(s.process.args[0], "a");
	pc_spec_free(&s);
}

static void test_full(void **state)
{
	static const char doc[] =
		"{\"ociVersion\":\"1.0.2\",\"hostname\":\"h\",\"root\":{\"path\":\"/r\",\"readonly\":true},"
		"\"process\":{\"terminal\":true,\"user\":{\"uid\":5,\"gid\":6,\"additionalGids\":[7,8]},"
		"\"args\":[\"a\",\"b\"],\"env\":[\"X=1\"],\"cwd\":\"/w\",\"noNewPrivileges\":true,"
		"\"oomScoreAdj\":-17,\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":20}],"
		"\"capabilities\":{\"bounding\":[\"CAP_KILL\",\"cap_chown\"],\"effective\":[\"CAP_KILL\"]}},"
		"\"mounts\":[{\"destination\":\"/m\",\"type\":\"tmpfs\",\"source\":\"t\","
		"\"options\":[\"ro\",\"nosuid\",\"rprivate\",\"size=1m\",\"mode=755\"]},"
		"{\"destination\":\"/b\",\"type\":\"bind\",\"source\":\"/s\",\"options\":[\"rbind\",\"rw\"]}],"
		"\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\",\"path\":\"/n\"}],"
		"\"devices\":[{\"path\":\"/dev/d\",\"type\":\"c\",\"major\":1,\"minor\":3,\"fileMode\":438}],"
		"\"maskedPaths\":[\"/p\"],\"readonlyPaths\":[\"/q\"],\"cgroupsPath\":\"/c/d\"},"
		"\"annotations\":{\"k\":\"v\"}}";
	struct pc_spec s;

	(void)state;
	assert_int_equal(parse(doc, &s, NULL), 0);
	assert_string_equal(s.hostname, "h");
	assert_true(s.root_readonly);
	assert_true(s.process.terminal);
	assert_int_equal(s.process.uid, 5);
	assert_int_equal(s.process.gid, 6);
	assert_int_equal(s.process.ngids, 2);
	assert_int_equal(s.process.gids[1], 8);
	assert_true(s.process.no_new_privs);
	assert_true(s.process.has_oom_score_adj);
	assert_int_equal(s.process.oom_score_adj, -17);
	assert_int_equal(s.process.nrlimits, 1);
	assert_int_equal(s.process.rlimits[0].soft, 10);
	assert_true(s.process.caps.present);
	assert_int_equal(s.process.caps.bounding, (1ull << 5) | 1ull);
	assert_int_equal(s.process.caps.effective, 1ull << 5);
	assert_int_equal(s.nmounts, 2);
	assert_int_equal(s.mounts[0].flags, MS_RDONLY | MS_NOSUID);
	assert_int_equal(s.mounts[0].propagation, MS_PRIVATE | MS_REC);
	assert_string_equal(s.mounts[0].data, "size=1m,mode=755");
	assert_false(s.mounts[0].bind);
	assert_true(s.mounts[1].bind);
	assert_int_equal(s.mounts[1].flags, MS_BIND | MS_REC);
	assert_int_equal(s.mounts[1].clear, MS_RDONLY);
	assert_int_equal(s.nnamespaces, 2);
	assert_null(pc_spec_ns(&s, CLONE_NEWPID)->path);
	assert_string_equal(pc_spec_ns(&s, CLONE_NEWNET)->path, "/n");
	assert_null(pc_spec_ns(&s, CLONE_NEWUTS));
	assert_int_equal(s.ndevices, 1);
	assert_int_equal(s.devices[0].mode, 0666);
	assert_string_equal(s.masked_paths[0], "/p");
	assert_string_equal(s.readonly_paths[0], "/q");
	assert_string_equal(s.cgroups_path, "/c/d");
	assert_string_equal(json_string_value(json_object_get(s.annotations, "k")), "v");
	pc_spec_free(&s);
}

static void test_recursive_options(void **state)
{
	static const char doc[] = MIN_DOC ",\"mounts\":["
		"{\"destination\":\"/a\",\"type\":\"bind\",\"source\":\"/s\","
		"\"options\":[\"rbind\",\"rro\",\"rnosuid\",\"rnoatime\"]},"
		"{\"destination\":\"/b\",\"type\":\"bind\",\"source\":\"/s\","
		"\"options\":[\"rro\",\"rrw\",\"rrelatime\"]}]}";
	struct pc_spec s;

	(void)state;
	assert_int_equal(parse(doc, &s, NULL), 0);
	assert_int_equal(s.mounts[0].flags, MS_BIND | MS_REC);	/* not plain ro */
	assert_int_equal(s.mounts[0].rattr_set,
			 MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOATIME);
	assert_int_equal(s.mounts[0].rattr_clr, MOUNT_ATTR__ATIME);
	/* a later option wins */
	assert_int_equal(s.mounts[1].rattr_set, MOUNT_ATTR_RELATIME);
	assert_int_equal(s.mounts[1].rattr_clr, MOUNT_ATTR_RDONLY | MOUNT_ATTR__ATIME);
	pc_spec_free(&s);
}

static void test_user_namespace(void **state)
{
	struct pc_spec s;

	(void)state;
	assert_int_equal(parse(MIN_DOC ",\"linux\":{\"namespaces\":[{\"type\":\"user\"}],"
			       "\"uidMappings\":[{\"containerID\":0,\"hostID\":1000,\"size\":10},"
			       "{\"containerID\":10,\"hostID\":5000,\"size\":1}],"
			       "\"gidMappings\":[{\"containerID\":0,\"hostID\":2000,\"size\":5}]}}",
			       &s, NULL), 0);
	assert_int_equal(s.nuid_maps, 2);
	assert_int_equal(s.uid_maps[1].container, 10);
	assert_int_equal(s.uid_maps[1].host, 5000);
	assert_int_equal(s.uid_maps[1].size, 1);
	assert_int_equal(s.ngid_maps, 1);
	assert_int_equal(s.gid_maps[0].host, 2000);
	pc_spec_free(&s);
	parse(MIN_DOC ",\"linux\":{\"namespaces\":[{\"type\":\"user\"}]}}", &s,
	      "needs linux.uidMappings");
	parse(MIN_DOC ",\"linux\":{\"uidMappings\":[{\"containerID\":0,\"hostID\":1,\"size\":1}],"
	      "\"gidMappings\":[]}}", &s, "need a new user namespace");
	parse(MIN_DOC ",\"linux\":{\"namespaces\":[{\"type\":\"user\"}],"
	      "\"uidMappings\":[{\"containerID\":0,\"hostID\":1}],\"gidMappings\":[]}}", &s,
	      "size is required");
	pc_err_clear();
	assert_int_equal(pc_spec_parse(MIN_DOC ",\"linux\":{\"namespaces\":[{\"type\":\"time\"}]}}",
				       &s), -ENOTSUP);
	assert_non_null(strstr(pc_err_msg(), "not supported"));
}

/* podman's --device and --privileged give fileMode with the type bits */
static void test_device_type_bits(void **state)
{
	static const char doc[] = MIN_DOC ",\"linux\":{\"devices\":["
		"{\"path\":\"/dev/a\",\"type\":\"c\",\"major\":1,\"minor\":3,\"fileMode\":8630},"
		"{\"path\":\"/dev/b\",\"type\":\"b\",\"major\":7,\"minor\":0,\"fileMode\":25008}]}}";
	struct pc_spec s;

	(void)state;
	assert_int_equal(parse(doc, &s, NULL), 0);
	assert_int_equal(s.devices[0].mode, 0666);	/* S_IFCHR | 0666 */
	assert_int_equal(s.devices[1].mode, 0660);	/* S_IFBLK | 0660 */
	pc_spec_free(&s);
	pc_err_clear();
	assert_int_equal(pc_spec_parse(MIN_DOC ",\"linux\":{\"devices\":[{\"path\":\"/dev/a\","
				       "\"type\":\"c\",\"fileMode\":262144}]}}", &s), -ERANGE);
}

/* uint64 fields take values up to UINT64_MAX (RLIM_INFINITY from docker's
 * --ulimit core=-1:-1), exactly; jansson alone refuses them. */
static void test_uint64_max(void **state)
{
	static const char doc[] = "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},"
		"\"process\":{\"args\":[\"18446744073709551615\"],\"cwd\":\"/\",\"rlimits\":["
		"{\"type\":\"RLIMIT_CORE\",\"soft\":18446744073709551615,\"hard\":18446744073709551615},"
		"{\"type\":\"RLIMIT_NOFILE\",\"soft\":9223372036854775808,\"hard\":18446744073709551614},"
		"{\"type\":\"RLIMIT_AS\",\"soft\":9223372036854775807,\"hard\":0}]}}";
	struct pc_spec s;
	char *text;

	(void)state;
	assert_int_equal(parse(doc, &s, NULL), 0);
	assert_int_equal(s.process.nrlimits, 3);
	assert_true(s.process.rlimits[0].soft == RLIM_INFINITY);
	assert_true(s.process.rlimits[0].hard == UINT64_MAX);
	assert_true(s.process.rlimits[1].soft == 9223372036854775808ull);
	assert_true(s.process.rlimits[1].hard == 18446744073709551614ull);
	assert_true(s.process.rlimits[2].soft == 9223372036854775807ull);
	assert_string_equal(s.process.args[0], "18446744073709551615");	/* a string stays one */
	/* the document saved (state.json) and parsed again (exec) is the same */
	text = json_dumps(s.json, 0);
	pc_spec_free(&s);
	assert_int_equal(parse(text, &s, NULL), 0);
	free(text);
	assert_true(s.process.rlimits[1].hard == 18446744073709551614ull);
	pc_spec_free(&s);
	/* past UINT64_MAX: jansson's error; negative: out of range */
	parse("{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":[\"a\"],"
	      "\"cwd\":\"/\",\"rlimits\":[{\"type\":\"RLIMIT_CORE\",\"soft\":18446744073709551616,"
	      "\"hard\":1}]}}", &s, "too big integer");
	pc_err_clear();
	assert_int_equal(pc_spec_parse("{\"ociVersion\":\"1\",\"root\":{\"path\":\"r\"},\"process\":"
				       "{\"args\":[\"a\"],\"cwd\":\"/\",\"rlimits\":[{\"type\":"
				       "\"RLIMIT_CORE\",\"soft\":-1,\"hard\":1}]}}", &s), -ERANGE);
	/* a big integer is no string, nor an int64 */
	parse(MIN_DOC ",\"hostname\":18446744073709551615}", &s, "hostname must be a string");
	parse("{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"r\"},\"process\":{\"args\":"
	      "[18446744073709551615],\"cwd\":\"/\"}}", &s, "args[0] must be a string");
	pc_err_clear();
	assert_int_equal(pc_spec_parse(MIN_DOC ",\"linux\":{\"devices\":[{\"path\":\"/dev/a\","
				       "\"type\":\"c\",\"major\":9223372036854775808}]}}", &s), -ERANGE);
	/* a string's own NUL is still refused */
	parse(MIN_DOC ",\"hostname\":\"a\\u0000b\",\"x\":18446744073709551615}", &s, "\\u0000");
	parse(MIN_DOC ",\"hostname\":\"a\\u0000b\"}", &s, "\\u0000");
}

static void test_process_alone(void **state)
{
	json_t *j = json_loads("{\"args\":[\"ls\"],\"cwd\":\"/tmp\",\"env\":[\"A=B\"]}", 0, NULL);
	struct pc_process p;

	(void)state;
	assert_non_null(j);
	assert_int_equal(pc_process_parse(j, &p), 0);
	assert_string_equal(p.args[0], "ls");
	assert_string_equal(p.env[0], "A=B");
	pc_process_free(&p);
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_invalid_json),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_missing_required),
		cmocka_unit_test(test_unknown_fields),
		cmocka_unit_test(test_full),
		cmocka_unit_test(test_recursive_options),
		cmocka_unit_test(test_user_namespace),
		cmocka_unit_test(test_device_type_bits),
		cmocka_unit_test(test_uint64_max),
		cmocka_unit_test(test_process_alone),
	};

	return cmocka_run_group_tests_name("runtime: config.json", tests, NULL, NULL);
}
