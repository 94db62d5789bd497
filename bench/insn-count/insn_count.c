/*
 * insn_count: a QEMU TCG plugin that counts the guest instructions executed
 * from one address to another. bench/run uses it to count swiftboot's
 * instructions from its entry point to the kernel's first instruction.
 *
 *   qemu-system-x86_64 -plugin file=insn_count.so,start=0x200080,stop=0xffffffff81000000 \
 *                      -d plugin -D insn.log ...
 *
 * start  the guest virtual address of the first instruction to count
 *        (swiftboot's entry for the boot protocol, plus its load offset);
 * stop   the address of the first instruction NOT to count (the kernel's
 *        ELF entry, a high-half virtual address under the kernel's tables).
 *
 * How it counts. QEMU translates guest code into blocks ("translation
 * blocks", TBs) and runs the translation many times. When it translates a
 * block it calls on_translate, which asks for on_execute to be called
 * before each of the block's instructions every time it executes, with the
 * instruction's address as the callback's data. on_execute is a small state
 * machine:
 *
 *   WAITING   until the instruction at `start` executes for the first time
 *             (the firmware and GRUB run before, uncounted);
 *   COUNTING  every executed instruction adds one, until the instruction at
 *             `stop` is about to execute (it is not counted);
 *   DONE      the kernel runs, uncounted; the result is written to the log.
 *
 * A callback per instruction is slower than adding a block's length once
 * per block, but exact even when a block is left half-way (an exception)
 * and when `start` or `stop` lie in the middle of a block.
 *
 * What one count is. Every entry into an instruction counts one. QEMU 7.2
 * runs a REP-prefixed string instruction (rep stosb, rep movsb) one
 * iteration at a time, jumping back to the same instruction after each
 * iteration and leaving it when the count register is zero; so a rep
 * instruction with %rcx = N > 0 counts N + 1, with %rcx = 0 it counts 1.
 * The plugin also reports those re-executions separately ("repeats": an
 * instruction executed again right after itself, which only a rep prefix
 * does in this code), so that executed - repeats counts each rep
 * instruction once, as its source reads, and repeats counts the iterations.
 *
 * Output, one line in QEMU's log when `stop` is reached (or at exit, with
 * "not-started" or "not-stopped" instead of "stopped"):
 *
 *   insn_count: stopped start=0x... stop=0x... entry_executed=N entry_repeats=N
 *               rest_executed=N rest_repeats=N
 *
 * The count is exact and repeatable only if nothing else runs in between.
 * Interrupts would: they arrive at moments that depend on the host's clock.
 * But swiftboot runs on one vCPU with interrupts disabled (its first
 * instruction is cli), so between `start` and `stop` the guest executes the
 * same instructions every time.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-plugin-api.h"

/* The API version this plugin is written against; QEMU refuses to load a
 * plugin that does not export it. */
QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

static uint64_t start_address;
static uint64_t stop_address;

static enum { WAITING, COUNTING, DONE } state = WAITING;

/* The counts, in two phases: the entry code, from `start` up to the first
 * instruction in the high half (the 32-bit code, the page tables, the
 * switch to long mode), and the rest, from there up to `stop` (the Swift
 * code, the kernel loader, the hand-off trampoline). */
enum phase { ENTRY, REST };
static enum phase phase = ENTRY;
static uint64_t executed[2];      /* instructions executed, per phase */
static uint64_t repeats[2];       /* of those, re-executions of the previous instruction */
static uint64_t previous_address; /* the last counted instruction's address */

/* The upper half of the x86-64 address space: bit 63 set. swiftboot's
 * Swift code and the kernel run there; its 32-bit entry code, the switch to
 * long mode and the hand-off trampoline run identity-mapped, below. */
static int in_high_half(uint64_t address) { return (address >> 63) != 0; }

static void report(const char *why)
{
    char line[320];
    snprintf(line, sizeof line,
             "insn_count: %s start=0x%" PRIx64 " stop=0x%" PRIx64
             " entry_executed=%" PRIu64 " entry_repeats=%" PRIu64
             " rest_executed=%" PRIu64 " rest_repeats=%" PRIu64 "\n",
             why, start_address, stop_address,
             executed[ENTRY], repeats[ENTRY], executed[REST], repeats[REST]);
    qemu_plugin_outs(line);
}

/* Before every instruction, every time it executes. With one vCPU the
 * callbacks run one at a time, so plain variables suffice. */
static void on_execute(unsigned int vcpu_index, void *userdata)
{
    uint64_t address = (uint64_t)(uintptr_t)userdata;
    (void)vcpu_index;
    switch (state) {
    case WAITING:
        if (address != start_address)
            return;
        state = COUNTING;
        break;
    case COUNTING:
        if (address == stop_address) {
            state = DONE;
            report("stopped");
            return;
        }
        if (in_high_half(address))
            phase = REST;   /* from the first high-half instruction on */
        if (address == previous_address)
            repeats[phase]++;
        break;
    case DONE:
        return;
    }
    executed[phase]++;
    previous_address = address;
}

/* Once per translated block: instrument each of its instructions. */
static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t count = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < count; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        uint64_t address = qemu_plugin_insn_vaddr(insn);
        qemu_plugin_register_vcpu_insn_exec_cb(insn, on_execute, QEMU_PLUGIN_CB_NO_REGS,
                                               (void *)(uintptr_t)address);
    }
}

/* At QEMU's exit: say so if the stop address never came. */
static void on_qemu_exit(qemu_plugin_id_t id, void *userdata)
{
    (void)id;
    (void)userdata;
    if (state != DONE)
        report(state == WAITING ? "not-started" : "not-stopped");
}

/* Parses "name=0xHEX" into *value when argument starts with "name=". */
static int parse_address(const char *argument, const char *name, uint64_t *value)
{
    size_t length = strlen(name);
    if (strncmp(argument, name, length) != 0 || argument[length] != '=')
        return 0;
    char *end;
    *value = strtoull(argument + length + 1, &end, 0);
    return *end == '\0';
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
                                           int argc, char **argv)
{
    int have_start = 0, have_stop = 0;
    for (int i = 0; i < argc; i++) {
        if (parse_address(argv[i], "start", &start_address))
            have_start = 1;
        else if (parse_address(argv[i], "stop", &stop_address))
            have_stop = 1;
        else {
            fprintf(stderr, "insn_count: unknown argument %s (want start=ADDRESS, stop=ADDRESS)\n", argv[i]);
            return 1;
        }
    }
    if (!have_start || !have_stop) {
        fprintf(stderr, "insn_count: needs start=ADDRESS and stop=ADDRESS\n");
        return 1;
    }
    if (info->system_emulation && info->system.max_vcpus > 1) {
        /* Several vCPUs would interleave their callbacks in one count. */
        fprintf(stderr, "insn_count: counts one vCPU only (-smp 1)\n");
        return 1;
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
    qemu_plugin_register_atexit_cb(id, on_qemu_exit, NULL);
    return 0;
}
