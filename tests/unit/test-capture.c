/*
 * test-capture.c - the raw answers of a phone: the device listing of the
 * adb server, and the capture file written and read back byte for byte
 * (binary output included).
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "adb.h"
#include "capture.h"

static void test_devices_listing(void **state)
{
	(void)state;
	/* as host:devices-l prints it: serial padded to 22, state, then key:value */
	const char *text =
		"0A111FDD4003BG         device usb:1-1 product:panther model:Pixel_7 device:panther transport_id:3\n"
		"R5CT10ABCDE            unauthorized usb:1-2 transport_id:4\n"
		"emulator-5554          offline transport_id:5\n"
		"4d00abcd               no permissions (missing udev rules? user is in the plugdev group); see [http://developer.android.com/tools/device.html] usb:1-3 transport_id:6\n"
		"\n";
	struct adb_devices d;
	adb_parse_devices(text, &d);
	assert_int_equal(d.n, 4);
	assert_string_equal(d.v[0].serial, "0A111FDD4003BG");
	assert_string_equal(d.v[0].state, "device");
	assert_string_equal(adb_device_attr(&d.v[0], "model"), "Pixel_7");
	assert_string_equal(adb_device_attr(&d.v[0], "transport_id"), "3");
	assert_string_equal(d.v[1].state, "unauthorized");
	assert_null(adb_device_attr(&d.v[1], "model"));
	assert_string_equal(d.v[2].state, "offline");
	assert_true(!strncmp(d.v[3].state, "no permissions", 14));
	assert_string_equal(adb_device_attr(&d.v[3], "usb"), "1-3");
	adb_devices_release(&d);

	adb_parse_devices("", &d);
	assert_int_equal(d.n, 0);
	adb_devices_release(&d);
	adb_parse_devices("garbage-without-state\n\x01\x02\n", &d);
	assert_int_equal(d.n, 0); /* a line without a state is no device */
	adb_devices_release(&d);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct capture c;
	capture_init(&c);
	c.platform = xstrdup("android");
	c.captured_at = 1795168800;
	c.device_id = xstrdup("0A111FDD4003BG");
	c.device_state = xstrdup("ready");
	capture_set_device(&c, "model", "Pixel_7");
	struct answer *a = capture_add(&c, "dumpsys battery");
	capture_set_out(a, "Current Battery Service state:\n  level: 78\n", 43);
	a->exit_code = 0;
	a->ms = 12.25;
	a = capture_add(&c, "cat /dev/urandom");
	static const char bin[] = { 'a', 0, (char)0xff, (char)0xfe, '\n', 'z' };
	capture_set_out(a, bin, sizeof(bin));
	capture_set_err(a, "warn\n", 5);
	a->status = ANSWER_CUT;
	a->error = xstrdup("the connection ended without an exit status");
	a = capture_add(&c, "dumpsys connectivity");
	a->status = ANSWER_TIMEOUT;
	a->error = xstrdup("no answer within 10 s");

	json_t *j = capture_json(&c);
	char *text = json_dumps(j, 0);
	json_decref(j);
	json_t *root = json_loads(text, 0, NULL);
	assert_true(capture_is(root));
	struct capture back;
	capture_init(&back);
	struct diags d;
	diags_init(&d);
	assert_int_equal(capture_parse_json(root, "mem", &back, &d), 0);
	assert_int_equal(d.errors, 0);
	assert_string_equal(back.platform, "android");
	assert_true(back.captured_at == 1795168800);
	assert_string_equal(capture_device(&back, "model"), "Pixel_7");
	assert_int_equal(back.nanswers, 3);
	const struct answer *b = capture_find(&back, "cat /dev/urandom");
	assert_non_null(b);
	assert_int_equal(b->out_len, sizeof(bin));
	assert_memory_equal(b->out, bin, sizeof(bin));
	assert_string_equal(b->err, "warn\n");
	assert_int_equal(b->status, ANSWER_CUT);
	assert_int_equal(b->exit_code, -1);
	b = capture_find(&back, "dumpsys battery");
	assert_int_equal(b->exit_code, 0);
	assert_string_equal(b->out, "Current Battery Service state:\n  level: 78\n");
	assert_int_equal(capture_find(&back, "dumpsys connectivity")->status, ANSWER_TIMEOUT);
	assert_null(capture_find(&back, "never asked"));

	/* written again, the same text: nothing lost on the way */
	json_t *j2 = capture_json(&back);
	char *text2 = json_dumps(j2, 0);
	assert_string_equal(text, text2);
	free(text2);
	json_decref(j2);
	free(text);
	json_decref(root);
	capture_release(&back);
	capture_release(&c);
	diags_release(&d);
}

static void test_bad_captures(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "{\"schema\":\"backupdoctor.capture/1\",\"platform\":\"windows\"}",
		  "mem: platform: expected \"android\" or \"ios\"\n" },
		{ "{\"schema\":\"backupdoctor.capture/1\",\"platform\":\"ios\",\"captured_at\":\"now\"}",
		  "mem: captured_at: expected an ISO 8601 UTC time such as \"2026-11-20T10:00:00Z\"\n" },
		{ "{\"schema\":\"backupdoctor.capture/1\",\"platform\":\"ios\",\"captured_at\":\"2026-11-20T10:00:00Z\",\"device\":{},\"answers\":[{\"query\":\"x\",\"status\":\"maybe\"}]}",
		  "mem: answers[0].status: \"maybe\" is not ok, timeout, cut or failed\n" },
		{ "{\"schema\":\"backupdoctor.capture/1\",\"platform\":\"ios\",\"captured_at\":\"2026-11-20T10:00:00Z\",\"device\":{},\"answers\":[{\"query\":\"x\",\"out\":5}]}",
		  "mem: answers[0].out: expected a string\n" },
		{ "{\"schema\":\"backupdoctor.capture/1\",\"platform\":\"ios\",\"captured_at\":\"2026-11-20T10:00:00Z\",\"device\":{},\"answers\":[7]}",
		  "mem: answers[0]: expected an object with a \"query\"\n" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		json_t *root = json_loads(cases[i][0], 0, NULL);
		assert_non_null(root);
		struct capture c;
		capture_init(&c);
		struct diags d;
		diags_init(&d);
		assert_int_equal(capture_parse_json(root, "mem", &c, &d), -1);
		char *got = unit_diags_string(&d);
		assert_string_equal(got, cases[i][1]);
		free(got);
		diags_release(&d);
		capture_release(&c);
		json_decref(root);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_devices_listing),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_captures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
