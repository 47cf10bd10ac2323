//===- Plugin.cpp - load the racecheck pass into clang and opt ------------===//
//
// racecheck.so is loadable three ways, all running RacecheckPass at the end of
// the optimization pipeline (OptimizerLast, where ThreadSanitizer runs too):
//
//   clang -fplugin=racecheck.so        a clang frontend plugin (below) that
//                                      adds a PassBuilder callback to the
//                                      code generator options;
//   clang -fpass-plugin=racecheck.so   the LLVM pass-plugin entry point
//   opt -load-pass-plugin=racecheck.so (llvmGetPassPluginInfo), which also
//                                      names the pass "racecheck" for
//                                      -passes=racecheck (and the marking
//                                      pass below
//                                      racecheck-mark-sanitize-thread).
//
// At the start of the pipeline every defined function is marked
// sanitize_thread (MarkSanitizeThreadPass), so the optimiser does not
// speculate loads or widen accesses the instrumentation would then report.
//
// Giving both clang flags is harmless: the pass marks the module and the
// second instance does nothing.
//
//===----------------------------------------------------------------------===//
#include "AccessOptOuts.h"
#include "RacecheckPass.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/Basic/CodeGenOptions.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendPluginRegistry.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/PassPlugin.h"

using namespace llvm;

namespace racecheck {
namespace {

constexpr const char PluginName[] = "racecheck";

/// Parts switched off with -fplugin-arg-racecheck-no-<part>. Applied on top
/// of the command-line defaults when the pipeline is built, so -mllvm
/// -racecheck-* options given anywhere on the command line still count.
struct DisabledParts {
  bool Memory = false, Atomics = false, MemIntrinsics = false,
       CallSites = false, FuncEntryExit = false, Globals = false;

  InstrumentationOptions apply(InstrumentationOptions O) const {
    O.Memory &= !Memory;
    O.Atomics &= !Atomics;
    O.MemIntrinsics &= !MemIntrinsics;
    O.CallSites &= !CallSites;
    O.FuncEntryExit &= !FuncEntryExit;
    O.Globals &= !Globals;
    return O;
  }
};

constexpr const char ValidPluginArgs[] =
    "no-memory, no-atomics, no-memintrinsics, no-calls, no-func-entry-exit, "
    "no-globals";

/// Also marks the functions sanitize_thread at the start of the pipeline
/// (MarkSanitizeThreadPass), so the optimiser makes no accesses the program
/// does not make.
void addToPipeline(PassBuilder &PB, DisabledParts Disabled) {
  PB.registerPipelineStartEPCallback(
      [](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(MarkSanitizeThreadPass());
      });
  PB.registerOptimizerLastEPCallback(
      [Disabled](ModulePassManager &MPM, OptimizationLevel) {
        MPM.addPass(RacecheckPass(
            Disabled.apply(InstrumentationOptions::fromCommandLine())));
      });
}

/// Tags the functions marked no_sanitize("thread") / no_sanitize_thread with
/// an annotation the IR pass reads (AccessOptOuts): without -fsanitize=thread
/// clang leaves no trace of the attribute in the IR. Runs before code
/// generation sees each declaration (AddBeforeMainAction), so the
/// annotation is emitted with the function.
class NoSanitizeTagger : public clang::ASTConsumer {
public:
  bool HandleTopLevelDecl(clang::DeclGroupRef Group) override {
    for (clang::Decl *D : Group)
      visit(D);
    return true;
  }
  void HandleInlineFunctionDefinition(clang::FunctionDecl *D) override {
    visit(D);
  }

private:
  static bool excludesThread(const clang::Decl &D) {
    for (const auto *A : D.specific_attrs<clang::NoSanitizeAttr>())
      for (StringRef Name : A->sanitizers())
        if (Name == "thread" || Name == "all")
          return true;
    return false;
  }

  void visit(clang::Decl *D) {
    if (auto *Template = dyn_cast<clang::FunctionTemplateDecl>(D))
      D = Template->getTemplatedDecl();
    if (auto *Fn = dyn_cast<clang::FunctionDecl>(D)) {
      if (excludesThread(*Fn) && !Tagged(*Fn))
        Fn->addAttr(clang::AnnotateAttr::CreateImplicit(
            Fn->getASTContext(), NoSanitizeThreadAnnotation, nullptr, 0));
      return;
    }
    // Namespaces, extern "C" blocks and classes hold further functions.
    if (auto *Context = dyn_cast<clang::DeclContext>(D))
      if (isa<clang::NamespaceDecl, clang::LinkageSpecDecl,
              clang::CXXRecordDecl>(D))
        for (clang::Decl *Inner : Context->decls())
          visit(Inner);
  }

  static bool Tagged(const clang::FunctionDecl &Fn) {
    for (const auto *A : Fn.specific_attrs<clang::AnnotateAttr>())
      if (A->getAnnotation() == NoSanitizeThreadAnnotation)
        return true;
    return false;
  }
};

/// The -fplugin entry: runs before the main action (code generation), hooks
/// the pass into the backend pipeline and tags no_sanitize("thread")
/// functions (NoSanitizeTagger).
class RacecheckAction : public clang::PluginASTAction {
protected:
  std::unique_ptr<clang::ASTConsumer>
  CreateASTConsumer(clang::CompilerInstance &CI, StringRef) override {
    CI.getCodeGenOpts().PassBuilderCallbacks.push_back(
        [Disabled = Disabled](PassBuilder &PB) {
          addToPipeline(PB, Disabled);
        });
    return std::make_unique<NoSanitizeTagger>();
  }

  bool ParseArgs(const clang::CompilerInstance &CI,
                 const std::vector<std::string> &Args) override {
    for (const std::string &Arg : Args) {
      bool *Part = StringSwitch<bool *>(Arg)
                       .Case("no-memory", &Disabled.Memory)
                       .Case("no-atomics", &Disabled.Atomics)
                       .Case("no-memintrinsics", &Disabled.MemIntrinsics)
                       .Case("no-calls", &Disabled.CallSites)
                       .Case("no-func-entry-exit", &Disabled.FuncEntryExit)
                       .Case("no-globals", &Disabled.Globals)
                       .Default(nullptr);
      if (!Part) {
        clang::DiagnosticsEngine &Diags = CI.getDiagnostics();
        unsigned ID = Diags.getCustomDiagID(
            clang::DiagnosticsEngine::Error,
            "racecheck plugin: unknown argument '%0' "
            "(-fplugin-arg-racecheck-%0); valid arguments: %1");
        Diags.Report(ID) << Arg << ValidPluginArgs;
        return false;
      }
      *Part = true;
    }
    return true;
  }

  ActionType getActionType() override { return AddBeforeMainAction; }

private:
  DisabledParts Disabled;
};

/// Registers RacecheckAction with clang's plugin registry, but only when the
/// plugin was loaded into clang.
///
/// The same racecheck.so is loaded into opt, which must not load
/// libclang-cpp: that library defines command-line options opt defines too,
/// and LLVM aborts on the duplicate. So the library is not linked against
/// clang; the build weakens every clang symbol this file refers to
/// (llvm-objcopy --weaken-symbol, see CMakeLists.txt). Inside clang they bind
/// to clang's definitions; inside opt they are null and nothing here runs.
struct FrontendPluginRegistration {
  using Registry = clang::FrontendPluginRegistry;

  static std::unique_ptr<clang::PluginASTAction> create() {
    return std::make_unique<RacecheckAction>();
  }

  Registry::entry Entry{PluginName,
                        "instrument for the racecheck race detector", create};
  Registry::node Node{Entry};

  FrontendPluginRegistration() {
    // Read through a volatile so the compiler cannot assume the (weak at link
    // time) function is present.
    void (*volatile AddNode)(Registry::node *) = &Registry::add_node;
    if (AddNode)
      AddNode(&Node);
  }
} RegisterFrontendPlugin;

} // namespace
} // namespace racecheck

/// The LLVM pass-plugin entry point (-fpass-plugin, opt -load-pass-plugin).
extern "C" LLVM_ATTRIBUTE_WEAK
    LLVM_ATTRIBUTE_VISIBILITY_DEFAULT ::llvm::PassPluginLibraryInfo
    llvmGetPassPluginInfo() {
  return {LLVM_PLUGIN_API_VERSION, racecheck::PluginName, LLVM_VERSION_STRING,
          [](PassBuilder &PB) {
            PB.registerPipelineParsingCallback(
                [](StringRef Name, ModulePassManager &MPM,
                   ArrayRef<PassBuilder::PipelineElement>) {
                  if (Name == "racecheck-mark-sanitize-thread") {
                    MPM.addPass(racecheck::MarkSanitizeThreadPass());
                    return true;
                  }
                  if (Name != racecheck::PluginName)
                    return false;
                  MPM.addPass(racecheck::RacecheckPass());
                  return true;
                });
            racecheck::addToPipeline(PB, {});
          }};
}
