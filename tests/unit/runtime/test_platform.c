// SPDX-License-Identifier: Apache-2.0
/* Platform selection: --platform, binary name, config file, default; PKU
 * checks; nothing in a bundle's config.json can downgrade xgate. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "container.h"
#include "err.h"
#include "platform.h"
#include "util.h"

static char dir[] = "/tmp/pc-unit-platform.XXXXXX";
static int pku;

static int fake_pku(void)
{
	return pku;
}

static int setup(void **state)
{
	(void)state;
	pc_platform_pku_probe = fake_pku;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return pc_rm_rf(dir);
}

static char *write_cfg(const char *name, const char *text)
{
	char *p = pc_strfmt("%s/%s", dir, name);

	assert_int_equal(pc_write_atomic(p, text, strlen(text), 0644), 0);
	return p;
}

static void expect(const char *flag, const char *argv0, const char *cfg,
		   enum pc_platform want, const char *source)
{
	enum pc_platform p;
	const char *src = NULL;

	pc_err_clear();
	if (pc_platform_select(flag, argv0, cfg, &p, &src))
		fail_msg("select failed: %s", pc_err_msg());
	assert_int_equal(p, want);
	assert_string_equal(src, source);
}

static void test_order(void **state)
{
	char *missing = pc_strfmt("%s/none.json", dir);
	char *native = write_cfg("native.json", "{\"platform\":\"native\"}");
	char *xgate = write_cfg("xgate.json", "{\"platform\":\"xgate\",\"other\":1}");
	char *empty = write_cfg("empty.json", "{}");

	(void)state;
	expect(NULL, "/usr/bin/paracell", missing, PC_PLATFORM_XGATE, "default");
	expect(NULL, "paracell", empty, PC_PLATFORM_XGATE, "default");
	expect(NULL, "/usr/bin/paracell", native, PC_PLATFORM_NATIVE, "config file");
	expect(NULL, "/usr/bin/paracell-native", missing, PC_PLATFORM_NATIVE, "binary name");
	expect(NULL, "paracell-native", xgate, PC_PLATFORM_NATIVE, "binary name");
	expect(NULL, "./paracell-xgate", native, PC_PLATFORM_XGATE, "binary name");
	expect("xgate", "paracell-native", native, PC_PLATFORM_XGATE, "flag");
	expect("native", "paracell", xgate, PC_PLATFORM_NATIVE, "flag");
	/* a name that is not paracell-<platform> does not choose */
	expect(NULL, "paracell-bogus", native, PC_PLATFORM_NATIVE, "config file");
	expect(NULL, "runc", missing, PC_PLATFORM_XGATE, "default");
	free(missing);
	free(native);
	free(xgate);
	free(empty);
}

static void test_env_config(void **state)
{
	char *native = write_cfg("env.json", "{\"platform\":\"native\"}");

	(void)state;
	setenv(PC_CONFIG_ENV, native, 1);
	expect(NULL, "paracell", NULL, PC_PLATFORM_NATIVE, "config file");
	unsetenv(PC_CONFIG_ENV);
	free(native);
}

static void test_bad(void **state)
{
	char *bad = write_cfg("bad.json", "{\"platform\":\"fast\"}");
	char *notjson = write_cfg("notjson.json", "{platform");
	char *wrongtype = write_cfg("wrongtype.json", "{\"platform\":1}");
	enum pc_platform p;
	const char *src;

	(void)state;
	assert_int_equal(pc_platform_select("bogus", "paracell", NULL, &p, &src), -EINVAL);
	pc_err_clear();
	assert_int_equal(pc_platform_select(NULL, "paracell", bad, &p, &src), -EINVAL);
	assert_non_null(strstr(pc_err_msg(), "bad.json"));
	assert_int_equal(pc_platform_select(NULL, "paracell", notjson, &p, &src), -EINVAL);
	assert_int_equal(pc_platform_select(NULL, "paracell", wrongtype, &p, &src), -EINVAL);
	free(bad);
	free(notjson);
	free(wrongtype);
}

static void test_check(void **state)
{
	(void)state;
	assert_int_equal(pc_platform_check(PC_PLATFORM_NATIVE), 0);
	pku = 0;
	pc_err_clear();
	assert_int_equal(pc_platform_check(PC_PLATFORM_XGATE), -ENOTSUP);
	assert_non_null(strstr(pc_err_msg(), "PKU"));
	pku = 1;
	pc_err_clear();
	assert_int_equal(pc_platform_check(PC_PLATFORM_XGATE), 0);
}

/* A bundle asking for native (annotation, a "platform" field) is still
 * refused under xgate, before anything is created. */
static void test_no_downgrade(void **state)
{
	static const char cfg[] =
		"{\"ociVersion\":\"1.0.2\",\"platform\":\"native\",\"root\":{\"path\":\"rootfs\"},"
		"\"process\":{\"args\":[\"true\"],\"cwd\":\"/\"},"
		"\"annotations\":{\"io.paracell.platform\":\"native\"}}";
	char *bundle = pc_strfmt("%s/bundle", dir), *root = pc_strfmt("%s/state", dir);
	char *rootfs = pc_strfmt("%s/bundle/rootfs", dir), *cfgpath;
	struct pc_global g = { .root = root };
	struct pc_create_opts o = { .id = "down", .bundle = bundle };
	struct pc_container c;
	const char *src;

	(void)state;
	assert_int_equal(pc_mkdir_p(rootfs, 0755), 0);
	cfgpath = write_cfg("bundle/config.json", cfg);
	assert_int_equal(pc_platform_select(NULL, "paracell", "/nonexistent", &g.platform, &src), 0);
	assert_int_equal(g.platform, PC_PLATFORM_XGATE);
	pku = 0;
	pc_err_clear();
	assert_int_not_equal(pc_container_create(&g, &o, &c), 0);
	assert_non_null(strstr(pc_err_msg(), "PKU"));
	assert_int_not_equal(access(root, F_OK), 0);	/* nothing created */
	free(bundle);
	free(root);
	free(rootfs);
	free(cfgpath);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_env_config),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_no_downgrade),
	};

	return cmocka_run_group_tests_name("runtime: platform", tests, setup, teardown);
}
