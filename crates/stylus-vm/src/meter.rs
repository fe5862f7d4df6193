//! Ink metering: rewrites a validated program the way activation instruments it.
//!
//! Three of nitro's middlewares, applied in its order (meter, dynamic meter, heap bound):
//!
//! - `crates/prover/src/programs/meter.rs`: each basic block (ended by `end`, `else`,
//!   `return`, `loop`, `br`, `br_if`, `br_table`, `if`, `call`, `call_indirect`) is preceded by
//!   a header that traps with status 1 when the ink left is below the block's price plus
//!   [`pricing::BLOCK_HEADER_INK`], and otherwise subtracts it.
//! - `crates/prover/src/programs/dynamic.rs`: `memory.copy` / `memory.fill` first pay
//!   [`pricing::MEMORY_COPY_BYTE_INK`] per byte, trapping on underflow.
//! - `crates/prover/src/programs/heap.rs`: `memory.grow` first calls the program's own
//!   `pay_for_memory_grow` import with the page count.
//!
//! The code these middlewares add is not itself metered, as in nitro. The ink and status
//! globals are exported as `stylus_ink_left` and `stylus_ink_status` for the host. Opcodes
//! `pricing_v1` does not price (float constants, loads, stores and reinterprets, which
//! activation accepts) cost `u64::MAX` ink, so their block traps out of ink when entered, as
//! on Arbitrum; `select` on floats is priced and runs.
//!
//! Nitro's stack-depth checker (`depth.rs`) is not reproduced at run time (wasmtime's own stack
//! limit stands in); its activation-time limits, and the opcode count after all of nitro's
//! middlewares, are checked by [`crate::validate`].

use wasm_encoder::{
    reencode::{self, utils, Reencode},
    BlockType, CodeSection, ConstExpr, ExportKind, ExportSection, Function, GlobalSection,
    GlobalType, Instruction, Module, SectionId, ValType,
};
use wasmparser::{FunctionBody, Operator};

use crate::{pricing, validate::Layout};

/// Export name of the ink-left global.
pub(crate) const INK_LEFT: &str = "stylus_ink_left";
/// Export name of the ink-status global (1 once the program ran out of ink).
pub(crate) const INK_STATUS: &str = "stylus_ink_status";

/// Instruments a program that [`crate::validate::validate`] accepted.
pub(crate) fn instrument(wasm: &[u8], layout: &Layout) -> Result<Vec<u8>, String> {
    let mut meter = Meter {
        layout,
        ink: layout.globals,
        status: layout.globals + 1,
        scratch: layout.globals + 2,
        globals_added: false,
    };
    let mut module = Module::new();
    meter
        .parse_core_module(&mut module, wasmparser::Parser::new(0), wasm)
        .map_err(|e| format!("instrumentation failed: {e:?}"))?;
    Ok(module.finish())
}

struct Meter<'l> {
    layout: &'l Layout,
    ink: u32,
    status: u32,
    scratch: u32,
    globals_added: bool,
}

type ReencodeResult<T> = Result<T, reencode::Error<String>>;

impl Meter<'_> {
    fn add_globals(&mut self, globals: &mut GlobalSection) {
        let ty = |val_type| GlobalType { val_type, mutable: true, shared: false };
        globals.global(ty(ValType::I64), &ConstExpr::i64_const(0));
        globals.global(ty(ValType::I32), &ConstExpr::i32_const(0));
        globals.global(ty(ValType::I32), &ConstExpr::i32_const(0));
        self.globals_added = true;
    }

    fn block_header(&self, f: &mut Function, cost: u64) {
        // nitro writes `cost as i64`: a saturated `u64::MAX` becomes -1, compared unsigned.
        #[allow(clippy::cast_possible_wrap, reason = "as nitro encodes it")]
        let cost = cost as i64;
        f.instruction(&Instruction::GlobalGet(self.ink))
            .instruction(&Instruction::I64Const(cost))
            .instruction(&Instruction::I64LtU)
            .instruction(&Instruction::If(BlockType::Empty))
            .instruction(&Instruction::I32Const(1))
            .instruction(&Instruction::GlobalSet(self.status))
            .instruction(&Instruction::Unreachable)
            .instruction(&Instruction::End)
            .instruction(&Instruction::GlobalGet(self.ink))
            .instruction(&Instruction::I64Const(cost))
            .instruction(&Instruction::I64Sub)
            .instruction(&Instruction::GlobalSet(self.ink));
    }

    /// `dynamic.rs`'s linear charge: the byte count on top of the stack pays `per_byte` each.
    fn linear_charge(&self, f: &mut Function, per_byte: u64) {
        let per_byte = i64::try_from(per_byte).unwrap_or(i64::MAX);
        f.instruction(&Instruction::GlobalSet(self.scratch))
            .instruction(&Instruction::GlobalGet(self.ink))
            .instruction(&Instruction::GlobalGet(self.ink))
            .instruction(&Instruction::GlobalGet(self.scratch))
            .instruction(&Instruction::I64ExtendI32U)
            .instruction(&Instruction::I64Const(per_byte))
            .instruction(&Instruction::I64Mul)
            .instruction(&Instruction::I64Sub)
            .instruction(&Instruction::GlobalSet(self.ink))
            .instruction(&Instruction::GlobalGet(self.ink))
            .instruction(&Instruction::I64LtU)
            .instruction(&Instruction::If(BlockType::Empty))
            .instruction(&Instruction::I32Const(1))
            .instruction(&Instruction::GlobalSet(self.status))
            .instruction(&Instruction::Unreachable)
            .instruction(&Instruction::End)
            .instruction(&Instruction::GlobalGet(self.scratch));
    }

    fn emit(&mut self, f: &mut Function, op: Operator<'_>) -> ReencodeResult<()> {
        match op {
            Operator::MemoryCopy { .. } => self.linear_charge(f, pricing::MEMORY_COPY_BYTE_INK),
            Operator::MemoryFill { .. } => self.linear_charge(f, pricing::MEMORY_FILL_BYTE_INK),
            Operator::MemoryGrow { .. } if self.layout.memory_can_grow => {
                if let Some(pay) = self.layout.pay_for_memory_grow {
                    f.instruction(&Instruction::GlobalSet(self.scratch))
                        .instruction(&Instruction::GlobalGet(self.scratch))
                        .instruction(&Instruction::GlobalGet(self.scratch))
                        .instruction(&Instruction::Call(pay));
                }
            }
            _ => {}
        }
        let instruction = self.instruction(op)?;
        f.instruction(&instruction);
        Ok(())
    }
}

/// Whether section `id` comes after the global section.
fn after_globals(id: Option<SectionId>) -> bool {
    match id {
        None => true,
        Some(id) => matches!(
            id,
            SectionId::Export
                | SectionId::Start
                | SectionId::Element
                | SectionId::DataCount
                | SectionId::Code
                | SectionId::Data
        ),
    }
}

impl Reencode for Meter<'_> {
    type Error = String;

    fn parse_global_section(
        &mut self,
        globals: &mut GlobalSection,
        section: wasmparser::GlobalSectionReader<'_>,
    ) -> ReencodeResult<()> {
        utils::parse_global_section(self, globals, section)?;
        self.add_globals(globals);
        Ok(())
    }

    fn intersperse_section_hook(
        &mut self,
        module: &mut Module,
        _after: Option<SectionId>,
        before: Option<SectionId>,
    ) -> ReencodeResult<()> {
        if !self.globals_added && after_globals(before) {
            let mut globals = GlobalSection::new();
            self.add_globals(&mut globals);
            module.section(&globals);
        }
        Ok(())
    }

    fn parse_export_section(
        &mut self,
        exports: &mut ExportSection,
        section: wasmparser::ExportSectionReader<'_>,
    ) -> ReencodeResult<()> {
        utils::parse_export_section(self, exports, section)?;
        exports.export(INK_LEFT, ExportKind::Global, self.ink);
        exports.export(INK_STATUS, ExportKind::Global, self.status);
        Ok(())
    }

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        func: FunctionBody<'_>,
    ) -> ReencodeResult<()> {
        let mut f = self.new_function_with_parsed_locals(&func)?;
        let mut reader = func.get_operators_reader()?;
        let mut block = Vec::new();
        let mut cost = 0u64;
        while !reader.eof() {
            let op = reader.read()?;
            let params = |t: u32| self.layout.type_params.get(t as usize).copied();
            // `pricing_v1` prices what it does not support at u64::MAX: float constants,
            // loads, stores and reinterprets pass activation, but the block that holds one
            // runs out of ink as soon as it is entered.
            let ink = pricing::opcode_ink(&op, params).unwrap_or(u64::MAX);
            cost = cost.saturating_add(ink);
            let end = pricing::ends_basic_block(&op);
            block.push(op);
            if end {
                self.block_header(&mut f, cost.saturating_add(pricing::BLOCK_HEADER_INK));
                for op in block.drain(..) {
                    self.emit(&mut f, op)?;
                }
                cost = 0;
            }
        }
        for op in block.drain(..) {
            self.emit(&mut f, op)?;
        }
        code.function(&f);
        Ok(())
    }
}
