; The globals table and the module constructor. Every defined, non-constant,
; non-thread-local global with a size, outside special sections, gets an
; entry { address, size, qualified name, layout, declaration site }; the
; layout flattens the debug type: "path@offset+size" per member (dotted for
; nested records, anonymous unions lifted, bit-fields as the bytes they
; span, base classes inline), "path[]@offset+elemsize*count" per array
; (dimensions multiplied out) followed by the element's members relative to
; the element, and whole entries only, up to 4 KiB. The constructor, at
; priority 0, calls __racecheck_init(1) then
; __racecheck_register_globals(table, count).
;
; Generated once with `clang++-19 -g -O0 -S -emit-llvm -fno-discard-value-names`
; from this globals.cpp:
;   struct Point { int x, y; };
;   struct Account {
;     long balance;
;     Point pos;
;     int history[4];
;     Point corners[2];
;     unsigned flags : 3;
;     unsigned mode : 9;
;     union { int i; float f; };
;   };
;   typedef const int ConstInt;
;   struct Base { int base_field; };
;   struct Derived : Base { char tag; };
;   struct Big { long a, b, c, d; };
;   
;   namespace bank {
;   Account main_account;
;   namespace { int hidden; }
;   struct Registry { static int count; };
;   int Registry::count;
;   }
;   int grid[3][5];
;   Derived derived;
;   Big many[1000];
;   struct L1 { Big a, b, c, d; };
;   struct L2 { L1 a, b, c, d; };
;   struct L3 { L2 a, b, c, d; };
;   struct Huge { L3 first, second; };
;   Huge huge;
;   struct Empty {};
;   int zero_length[0];
;   ConstInt read_only = 7;
;   const char *message = "hello";
;   thread_local int per_thread;
;   __attribute__((section("mydata"))) int in_section;
;   extern int declared_only;
;   template <typename T> struct Holder { static T value; };
;   template <typename T> T Holder<T>::value;
;   
;   int &counter() { static int calls; return ++calls, calls; }
;   int use() { return Holder<int>::value + declared_only + read_only + per_thread + in_section + bank::hidden; }
;
; RUN: %racecheck-opt %s | FileCheck %s

; CHECK-DAG: @[[EMPTY:__racecheck_str[.0-9]*]] = private unnamed_addr constant [1 x i8] zeroinitializer
;   the DIFile's name joined with its directory: sites hold absolute paths
; CHECK-DAG: @[[FILE:__racecheck_str[.0-9]*]] = private unnamed_addr constant [21 x i8] c"/tmp/rcp/globals.cpp\00"
; CHECK-DAG: @[[COUNTERFN:__racecheck_str[.0-9]*]] = private unnamed_addr constant [12 x i8] c"_Z7counterv\00"
; CHECK-DAG: @[[WHOLE4:__racecheck_str[.0-9]*]] = private unnamed_addr constant [5 x i8] c"@0+4\00"
; CHECK-DAG: @[[WHOLE8:__racecheck_str[.0-9]*]] = private unnamed_addr constant [5 x i8] c"@0+8\00"
; CHECK-DAG: @[[ACCT:__racecheck_str[.0-9]*]] = private unnamed_addr constant [19 x i8] c"bank::main_account\00"
; CHECK-DAG: @[[ACCT_L:__racecheck_str[.0-9]*]] = private unnamed_addr constant [134 x i8] c"balance@0+8;pos.x@8+4;pos.y@12+4;history[]@16+4*4;corners[]@32+8*2;corners[].x@0+4;corners[].y@4+4;flags@48+1;mode@48+2;i@52+4;f@52+4\00"
; CHECK-DAG: @[[COUNT:__racecheck_str[.0-9]*]] = private unnamed_addr constant [22 x i8] c"bank::Registry::count\00"
; CHECK-DAG: @[[GRID:__racecheck_str[.0-9]*]] = private unnamed_addr constant [5 x i8] c"grid\00"
; CHECK-DAG: @[[GRID_L:__racecheck_str[.0-9]*]] = private unnamed_addr constant [10 x i8] c"[]@0+4*15\00"
; CHECK-DAG: @[[DERIVED:__racecheck_str[.0-9]*]] = private unnamed_addr constant [8 x i8] c"derived\00"
; CHECK-DAG: @[[DERIVED_L:__racecheck_str[.0-9]*]] = private unnamed_addr constant [23 x i8] c"base_field@0+4;tag@4+1\00"
; CHECK-DAG: @[[MANY:__racecheck_str[.0-9]*]] = private unnamed_addr constant [5 x i8] c"many\00"
; CHECK-DAG: @[[MANY_L:__racecheck_str[.0-9]*]] = private unnamed_addr constant [51 x i8] c"[]@0+32*1000;[].a@0+8;[].b@8+8;[].c@16+8;[].d@24+8\00"
; CHECK-DAG: @[[HUGE:__racecheck_str[.0-9]*]] = private unnamed_addr constant [5 x i8] c"huge\00"
;   512 leaves would take 8 KiB; the layout stops after the last whole entry
;   that fits in 4 KiB.
; CHECK-DAG: @[[HUGE_L:__racecheck_str[.0-9]*]] = private unnamed_addr constant [4081 x i8] c"first.a.a.a.a@0+8;first.a.a.a.b@8+8;{{.*}};first.d.a.c.a@1600+8\00"
; CHECK-DAG: @[[MESSAGE:__racecheck_str[.0-9]*]] = private unnamed_addr constant [8 x i8] c"message\00"
; CHECK-DAG: @[[CALLS:__racecheck_str[.0-9]*]] = private unnamed_addr constant [15 x i8] c"counter::calls\00"
; CHECK-DAG: @[[VALUE:__racecheck_str[.0-9]*]] = private unnamed_addr constant [19 x i8] c"Holder<int>::value\00"
; CHECK-DAG: @[[HIDDEN:__racecheck_str[.0-9]*]] = private unnamed_addr constant [36 x i8] c"bank::(anonymous namespace)::hidden\00"
;   declaration sites: file-scope globals have function "", column 0
; CHECK-DAG: @[[ACCT_S:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[EMPTY]], i32 17, i32 0, ptr null }
; CHECK-DAG: @[[COUNT_S:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[EMPTY]], i32 20, i32 0, ptr null }
; CHECK-DAG: @[[CALLS_S:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[COUNTERFN]], i32 40, i32 0, ptr null }
; CHECK-DAG: @[[HIDDEN_S:__racecheck_site[.0-9]*]] = private constant { ptr, ptr, i32, i32, ptr } { ptr @[[FILE]], ptr @[[EMPTY]], i32 18, i32 0, ptr null }
;   the table, in module order; read_only (constant), zero_length (no size),
;   the string literal (constant), per_thread (thread-local), in_section and
;   declared_only (not defined here) have no entry
; CHECK: @__racecheck_globals = private constant [10 x { ptr, i64, ptr, ptr, ptr }] [
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @_ZN4bank12main_accountE, i64 56, ptr @[[ACCT]], ptr @[[ACCT_L]], ptr @[[ACCT_S]] },
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @_ZN4bank8Registry5countE, i64 4, ptr @[[COUNT]], ptr @[[WHOLE4]], ptr @[[COUNT_S]] },
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @grid, i64 60, ptr @[[GRID]], ptr @[[GRID_L]], ptr @__racecheck_site{{[.0-9]*}} },
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @derived, i64 8, ptr @[[DERIVED]], ptr @[[DERIVED_L]], ptr @__racecheck_site{{[.0-9]*}} },
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @many, i64 32000, ptr @[[MANY]], ptr @[[MANY_L]], ptr @__racecheck_site{{[.0-9]*}} },
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @huge, i64 4096, ptr @[[HUGE]], ptr @[[HUGE_L]], ptr @__racecheck_site{{[.0-9]*}} },
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @message, i64 8, ptr @[[MESSAGE]], ptr @[[WHOLE8]], ptr @__racecheck_site{{[.0-9]*}} },
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @_ZZ7countervE5calls, i64 4, ptr @[[CALLS]], ptr @[[WHOLE4]], ptr @[[CALLS_S]] },
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @_ZN6HolderIiE5valueE, i64 4, ptr @[[VALUE]], ptr @[[WHOLE4]], ptr @__racecheck_site{{[.0-9]*}} },
; CHECK-SAME: { ptr, i64, ptr, ptr, ptr } { ptr @_ZN4bank12_GLOBAL__N_16hiddenE, i64 4, ptr @[[HIDDEN]], ptr @[[WHOLE4]], ptr @[[HIDDEN_S]] }]
; CHECK: @llvm.global_ctors = appending global [1 x { i32, ptr, ptr }] [{ i32, ptr, ptr } { i32 0, ptr @__racecheck_module_ctor, ptr null }]
; CHECK-LABEL: define internal void @__racecheck_module_ctor()
; CHECK-NEXT:    call void @__racecheck_init(i32 1)
; CHECK-NEXT:    call void @__racecheck_register_globals(ptr @__racecheck_globals, i64 10)
; CHECK-NEXT:    ret void
source_filename = "globals.cpp"
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-i128:128-f80:128-n8:16:32:64-S128"
target triple = "x86_64-pc-linux-gnu"

%struct.Account = type { i64, %struct.Point, [4 x i32], [2 x %struct.Point], i16, %union.anon }
%struct.Point = type { i32, i32 }
%union.anon = type { i32 }
%struct.Derived = type <{ %struct.Base, i8, [3 x i8] }>
%struct.Base = type { i32 }
%struct.Big = type { i64, i64, i64, i64 }
%struct.Huge = type { %struct.L3, %struct.L3 }
%struct.L3 = type { %struct.L2, %struct.L2, %struct.L2, %struct.L2 }
%struct.L2 = type { %struct.L1, %struct.L1, %struct.L1, %struct.L1 }
%struct.L1 = type { %struct.Big, %struct.Big, %struct.Big, %struct.Big }

$_ZTW10per_thread = comdat any

$_ZN6HolderIiE5valueE = comdat any

@_ZN4bank12main_accountE = dso_local global %struct.Account zeroinitializer, align 8, !dbg !0
@_ZN4bank8Registry5countE = dso_local global i32 0, align 4, !dbg !31
@grid = dso_local global [3 x [5 x i32]] zeroinitializer, align 16, !dbg !36
@derived = dso_local global %struct.Derived zeroinitializer, align 4, !dbg !40
@many = dso_local global [1000 x %struct.Big] zeroinitializer, align 16, !dbg !50
@huge = dso_local global %struct.Huge zeroinitializer, align 8, !dbg !61
@zero_length = dso_local global [0 x i32] zeroinitializer, align 4, !dbg !85
@.str = private unnamed_addr constant [6 x i8] c"hello\00", align 1, !dbg !90
@message = dso_local global ptr @.str, align 8, !dbg !96
@per_thread = dso_local thread_local global i32 0, align 4, !dbg !99
@in_section = dso_local global i32 0, section "mydata", align 4, !dbg !101
@_ZZ7countervE5calls = internal global i32 0, align 4, !dbg !103
@_ZN6HolderIiE5valueE = linkonce_odr dso_local global i32 0, comdat, align 4, !dbg !116
@declared_only = external global i32, align 4
@_ZN4bank12_GLOBAL__N_16hiddenE = internal global i32 0, align 4, !dbg !113

; Function Attrs: mustprogress noinline nounwind optnone uwtable
define dso_local noundef nonnull align 4 dereferenceable(4) ptr @_Z7counterv() #0 !dbg !105 {
entry:
  %0 = load i32, ptr @_ZZ7countervE5calls, align 4, !dbg !135
  %inc = add nsw i32 %0, 1, !dbg !135
  store i32 %inc, ptr @_ZZ7countervE5calls, align 4, !dbg !135
  ret ptr @_ZZ7countervE5calls, !dbg !136
}

; Function Attrs: mustprogress noinline nounwind optnone uwtable
define dso_local noundef i32 @_Z3usev() #0 !dbg !137 {
entry:
  %0 = load i32, ptr @_ZN6HolderIiE5valueE, align 4, !dbg !140
  %1 = load i32, ptr @declared_only, align 4, !dbg !141
  %add = add nsw i32 %0, %1, !dbg !142
  %add1 = add nsw i32 %add, 7, !dbg !143
  %2 = call align 4 ptr @llvm.threadlocal.address.p0(ptr align 4 @per_thread), !dbg !144
  %3 = load i32, ptr %2, align 4, !dbg !144
  %add2 = add nsw i32 %add1, %3, !dbg !145
  %4 = load i32, ptr @in_section, align 4, !dbg !146
  %add3 = add nsw i32 %add2, %4, !dbg !147
  %5 = load i32, ptr @_ZN4bank12_GLOBAL__N_16hiddenE, align 4, !dbg !148
  %add4 = add nsw i32 %add3, %5, !dbg !149
  ret i32 %add4, !dbg !150
}

; Function Attrs: nocallback nofree nosync nounwind speculatable willreturn memory(none)
declare nonnull ptr @llvm.threadlocal.address.p0(ptr nonnull) #1

; Function Attrs: noinline uwtable
define weak_odr hidden noundef ptr @_ZTW10per_thread() #2 comdat {
  %1 = call align 4 ptr @llvm.threadlocal.address.p0(ptr align 4 @per_thread)
  ret ptr %1
}

attributes #0 = { mustprogress noinline nounwind optnone uwtable "frame-pointer"="all" "min-legal-vector-width"="0" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }
attributes #1 = { nocallback nofree nosync nounwind speculatable willreturn memory(none) }
attributes #2 = { noinline uwtable "frame-pointer"="all" "no-trapping-math"="true" "stack-protector-buffer-size"="8" "target-cpu"="x86-64" "target-features"="+cmov,+cx8,+fxsr,+mmx,+sse,+sse2,+x87" "tune-cpu"="generic" }

!llvm.dbg.cu = !{!38}
!llvm.module.flags = !{!127, !128, !129, !130, !131, !132, !133}
!llvm.ident = !{!134}

!0 = !DIGlobalVariableExpression(var: !1, expr: !DIExpression())
!1 = distinct !DIGlobalVariable(name: "main_account", linkageName: "_ZN4bank12main_accountE", scope: !2, file: !3, line: 17, type: !4, isLocal: false, isDefinition: true)
!2 = !DINamespace(name: "bank", scope: null)
!3 = !DIFile(filename: "globals.cpp", directory: "/tmp/rcp", checksumkind: CSK_MD5, checksum: "2433f21f9ebd6bed15744d33d497e00d")
!4 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "Account", file: !3, line: 2, size: 448, flags: DIFlagTypePassByValue, elements: !5, identifier: "_ZTS7Account")
!5 = !{!6, !8, !14, !18, !22, !24, !25}
!6 = !DIDerivedType(tag: DW_TAG_member, name: "balance", scope: !4, file: !3, line: 3, baseType: !7, size: 64)
!7 = !DIBasicType(name: "long", size: 64, encoding: DW_ATE_signed)
!8 = !DIDerivedType(tag: DW_TAG_member, name: "pos", scope: !4, file: !3, line: 4, baseType: !9, size: 64, offset: 64)
!9 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "Point", file: !3, line: 1, size: 64, flags: DIFlagTypePassByValue, elements: !10, identifier: "_ZTS5Point")
!10 = !{!11, !13}
!11 = !DIDerivedType(tag: DW_TAG_member, name: "x", scope: !9, file: !3, line: 1, baseType: !12, size: 32)
!12 = !DIBasicType(name: "int", size: 32, encoding: DW_ATE_signed)
!13 = !DIDerivedType(tag: DW_TAG_member, name: "y", scope: !9, file: !3, line: 1, baseType: !12, size: 32, offset: 32)
!14 = !DIDerivedType(tag: DW_TAG_member, name: "history", scope: !4, file: !3, line: 5, baseType: !15, size: 128, offset: 128)
!15 = !DICompositeType(tag: DW_TAG_array_type, baseType: !12, size: 128, elements: !16)
!16 = !{!17}
!17 = !DISubrange(count: 4)
!18 = !DIDerivedType(tag: DW_TAG_member, name: "corners", scope: !4, file: !3, line: 6, baseType: !19, size: 128, offset: 256)
!19 = !DICompositeType(tag: DW_TAG_array_type, baseType: !9, size: 128, elements: !20)
!20 = !{!21}
!21 = !DISubrange(count: 2)
!22 = !DIDerivedType(tag: DW_TAG_member, name: "flags", scope: !4, file: !3, line: 7, baseType: !23, size: 3, offset: 384, flags: DIFlagBitField, extraData: i64 384)
!23 = !DIBasicType(name: "unsigned int", size: 32, encoding: DW_ATE_unsigned)
!24 = !DIDerivedType(tag: DW_TAG_member, name: "mode", scope: !4, file: !3, line: 8, baseType: !23, size: 9, offset: 387, flags: DIFlagBitField, extraData: i64 384)
!25 = !DIDerivedType(tag: DW_TAG_member, scope: !4, file: !3, line: 9, baseType: !26, size: 32, offset: 416)
!26 = distinct !DICompositeType(tag: DW_TAG_union_type, scope: !4, file: !3, line: 9, size: 32, flags: DIFlagExportSymbols | DIFlagTypePassByValue, elements: !27, identifier: "_ZTSN7AccountUt_E")
!27 = !{!28, !29}
!28 = !DIDerivedType(tag: DW_TAG_member, name: "i", scope: !26, file: !3, line: 9, baseType: !12, size: 32)
!29 = !DIDerivedType(tag: DW_TAG_member, name: "f", scope: !26, file: !3, line: 9, baseType: !30, size: 32)
!30 = !DIBasicType(name: "float", size: 32, encoding: DW_ATE_float)
!31 = !DIGlobalVariableExpression(var: !32, expr: !DIExpression())
!32 = distinct !DIGlobalVariable(name: "count", linkageName: "_ZN4bank8Registry5countE", scope: !2, file: !3, line: 20, type: !12, isLocal: false, isDefinition: true, declaration: !33)
!33 = !DIDerivedType(tag: DW_TAG_variable, name: "count", scope: !34, file: !3, line: 19, baseType: !12, flags: DIFlagStaticMember)
!34 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "Registry", scope: !2, file: !3, line: 19, size: 8, flags: DIFlagTypePassByValue, elements: !35, identifier: "_ZTSN4bank8RegistryE")
!35 = !{!33}
!36 = !DIGlobalVariableExpression(var: !37, expr: !DIExpression())
!37 = distinct !DIGlobalVariable(name: "grid", scope: !38, file: !3, line: 22, type: !123, isLocal: false, isDefinition: true)
!38 = distinct !DICompileUnit(language: DW_LANG_C_plus_plus_14, file: !3, producer: "Debian clang version 19.1.7 (3~deb12u1)", isOptimized: false, runtimeVersion: 0, emissionKind: FullDebug, globals: !39, splitDebugInlining: false, nameTableKind: None)
!39 = !{!0, !31, !36, !40, !50, !61, !85, !90, !96, !99, !101, !103, !109, !113, !116}
!40 = !DIGlobalVariableExpression(var: !41, expr: !DIExpression())
!41 = distinct !DIGlobalVariable(name: "derived", scope: !38, file: !3, line: 23, type: !42, isLocal: false, isDefinition: true)
!42 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "Derived", file: !3, line: 13, size: 64, flags: DIFlagTypePassByValue, elements: !43, identifier: "_ZTS7Derived")
!43 = !{!44, !48}
!44 = !DIDerivedType(tag: DW_TAG_inheritance, scope: !42, baseType: !45, extraData: i32 0)
!45 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "Base", file: !3, line: 12, size: 32, flags: DIFlagTypePassByValue, elements: !46, identifier: "_ZTS4Base")
!46 = !{!47}
!47 = !DIDerivedType(tag: DW_TAG_member, name: "base_field", scope: !45, file: !3, line: 12, baseType: !12, size: 32)
!48 = !DIDerivedType(tag: DW_TAG_member, name: "tag", scope: !42, file: !3, line: 13, baseType: !49, size: 8, offset: 32)
!49 = !DIBasicType(name: "char", size: 8, encoding: DW_ATE_signed_char)
!50 = !DIGlobalVariableExpression(var: !51, expr: !DIExpression())
!51 = distinct !DIGlobalVariable(name: "many", scope: !38, file: !3, line: 24, type: !52, isLocal: false, isDefinition: true)
!52 = !DICompositeType(tag: DW_TAG_array_type, baseType: !53, size: 256000, elements: !59)
!53 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "Big", file: !3, line: 14, size: 256, flags: DIFlagTypePassByValue, elements: !54, identifier: "_ZTS3Big")
!54 = !{!55, !56, !57, !58}
!55 = !DIDerivedType(tag: DW_TAG_member, name: "a", scope: !53, file: !3, line: 14, baseType: !7, size: 64)
!56 = !DIDerivedType(tag: DW_TAG_member, name: "b", scope: !53, file: !3, line: 14, baseType: !7, size: 64, offset: 64)
!57 = !DIDerivedType(tag: DW_TAG_member, name: "c", scope: !53, file: !3, line: 14, baseType: !7, size: 64, offset: 128)
!58 = !DIDerivedType(tag: DW_TAG_member, name: "d", scope: !53, file: !3, line: 14, baseType: !7, size: 64, offset: 192)
!59 = !{!60}
!60 = !DISubrange(count: 1000)
!61 = !DIGlobalVariableExpression(var: !62, expr: !DIExpression())
!62 = distinct !DIGlobalVariable(name: "huge", scope: !38, file: !3, line: 29, type: !63, isLocal: false, isDefinition: true)
!63 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "Huge", file: !3, line: 28, size: 32768, flags: DIFlagTypePassByValue, elements: !64, identifier: "_ZTS4Huge")
!64 = !{!65, !84}
!65 = !DIDerivedType(tag: DW_TAG_member, name: "first", scope: !63, file: !3, line: 28, baseType: !66, size: 16384)
!66 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "L3", file: !3, line: 27, size: 16384, flags: DIFlagTypePassByValue, elements: !67, identifier: "_ZTS2L3")
!67 = !{!68, !81, !82, !83}
!68 = !DIDerivedType(tag: DW_TAG_member, name: "a", scope: !66, file: !3, line: 27, baseType: !69, size: 4096)
!69 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "L2", file: !3, line: 26, size: 4096, flags: DIFlagTypePassByValue, elements: !70, identifier: "_ZTS2L2")
!70 = !{!71, !78, !79, !80}
!71 = !DIDerivedType(tag: DW_TAG_member, name: "a", scope: !69, file: !3, line: 26, baseType: !72, size: 1024)
!72 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "L1", file: !3, line: 25, size: 1024, flags: DIFlagTypePassByValue, elements: !73, identifier: "_ZTS2L1")
!73 = !{!74, !75, !76, !77}
!74 = !DIDerivedType(tag: DW_TAG_member, name: "a", scope: !72, file: !3, line: 25, baseType: !53, size: 256)
!75 = !DIDerivedType(tag: DW_TAG_member, name: "b", scope: !72, file: !3, line: 25, baseType: !53, size: 256, offset: 256)
!76 = !DIDerivedType(tag: DW_TAG_member, name: "c", scope: !72, file: !3, line: 25, baseType: !53, size: 256, offset: 512)
!77 = !DIDerivedType(tag: DW_TAG_member, name: "d", scope: !72, file: !3, line: 25, baseType: !53, size: 256, offset: 768)
!78 = !DIDerivedType(tag: DW_TAG_member, name: "b", scope: !69, file: !3, line: 26, baseType: !72, size: 1024, offset: 1024)
!79 = !DIDerivedType(tag: DW_TAG_member, name: "c", scope: !69, file: !3, line: 26, baseType: !72, size: 1024, offset: 2048)
!80 = !DIDerivedType(tag: DW_TAG_member, name: "d", scope: !69, file: !3, line: 26, baseType: !72, size: 1024, offset: 3072)
!81 = !DIDerivedType(tag: DW_TAG_member, name: "b", scope: !66, file: !3, line: 27, baseType: !69, size: 4096, offset: 4096)
!82 = !DIDerivedType(tag: DW_TAG_member, name: "c", scope: !66, file: !3, line: 27, baseType: !69, size: 4096, offset: 8192)
!83 = !DIDerivedType(tag: DW_TAG_member, name: "d", scope: !66, file: !3, line: 27, baseType: !69, size: 4096, offset: 12288)
!84 = !DIDerivedType(tag: DW_TAG_member, name: "second", scope: !63, file: !3, line: 28, baseType: !66, size: 16384, offset: 16384)
!85 = !DIGlobalVariableExpression(var: !86, expr: !DIExpression())
!86 = distinct !DIGlobalVariable(name: "zero_length", scope: !38, file: !3, line: 31, type: !87, isLocal: false, isDefinition: true)
!87 = !DICompositeType(tag: DW_TAG_array_type, baseType: !12, elements: !88)
!88 = !{!89}
!89 = !DISubrange(count: 0)
!90 = !DIGlobalVariableExpression(var: !91, expr: !DIExpression())
!91 = distinct !DIGlobalVariable(scope: null, file: !3, line: 33, type: !92, isLocal: true, isDefinition: true)
!92 = !DICompositeType(tag: DW_TAG_array_type, baseType: !93, size: 48, elements: !94)
!93 = !DIDerivedType(tag: DW_TAG_const_type, baseType: !49)
!94 = !{!95}
!95 = !DISubrange(count: 6)
!96 = !DIGlobalVariableExpression(var: !97, expr: !DIExpression())
!97 = distinct !DIGlobalVariable(name: "message", scope: !38, file: !3, line: 33, type: !98, isLocal: false, isDefinition: true)
!98 = !DIDerivedType(tag: DW_TAG_pointer_type, baseType: !93, size: 64)
!99 = !DIGlobalVariableExpression(var: !100, expr: !DIExpression())
!100 = distinct !DIGlobalVariable(name: "per_thread", scope: !38, file: !3, line: 34, type: !12, isLocal: false, isDefinition: true)
!101 = !DIGlobalVariableExpression(var: !102, expr: !DIExpression())
!102 = distinct !DIGlobalVariable(name: "in_section", scope: !38, file: !3, line: 35, type: !12, isLocal: false, isDefinition: true)
!103 = !DIGlobalVariableExpression(var: !104, expr: !DIExpression())
!104 = distinct !DIGlobalVariable(name: "calls", scope: !105, file: !3, line: 40, type: !12, isLocal: true, isDefinition: true)
!105 = distinct !DISubprogram(name: "counter", linkageName: "_Z7counterv", scope: !3, file: !3, line: 40, type: !106, scopeLine: 40, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition, unit: !38)
!106 = !DISubroutineType(types: !107)
!107 = !{!108}
!108 = !DIDerivedType(tag: DW_TAG_reference_type, baseType: !12, size: 64)
!109 = !DIGlobalVariableExpression(var: !110, expr: !DIExpression(DW_OP_constu, 7, DW_OP_stack_value))
!110 = distinct !DIGlobalVariable(name: "read_only", scope: !38, file: !3, line: 32, type: !111, isLocal: true, isDefinition: true)
!111 = !DIDerivedType(tag: DW_TAG_typedef, name: "ConstInt", file: !3, line: 11, baseType: !112)
!112 = !DIDerivedType(tag: DW_TAG_const_type, baseType: !12)
!113 = !DIGlobalVariableExpression(var: !114, expr: !DIExpression())
!114 = distinct !DIGlobalVariable(name: "hidden", linkageName: "_ZN4bank12_GLOBAL__N_16hiddenE", scope: !115, file: !3, line: 18, type: !12, isLocal: true, isDefinition: true)
!115 = !DINamespace(scope: !2)
!116 = !DIGlobalVariableExpression(var: !117, expr: !DIExpression())
!117 = distinct !DIGlobalVariable(name: "value", linkageName: "_ZN6HolderIiE5valueE", scope: !38, file: !3, line: 38, type: !12, isLocal: false, isDefinition: true, declaration: !118)
!118 = !DIDerivedType(tag: DW_TAG_variable, name: "value", scope: !119, file: !3, line: 37, baseType: !12, flags: DIFlagStaticMember)
!119 = distinct !DICompositeType(tag: DW_TAG_structure_type, name: "Holder<int>", file: !3, line: 37, size: 8, flags: DIFlagTypePassByValue, elements: !120, templateParams: !121, identifier: "_ZTS6HolderIiE")
!120 = !{!118}
!121 = !{!122}
!122 = !DITemplateTypeParameter(name: "T", type: !12)
!123 = !DICompositeType(tag: DW_TAG_array_type, baseType: !12, size: 480, elements: !124)
!124 = !{!125, !126}
!125 = !DISubrange(count: 3)
!126 = !DISubrange(count: 5)
!127 = !{i32 7, !"Dwarf Version", i32 5}
!128 = !{i32 2, !"Debug Info Version", i32 3}
!129 = !{i32 1, !"wchar_size", i32 4}
!130 = !{i32 8, !"PIC Level", i32 2}
!131 = !{i32 7, !"PIE Level", i32 2}
!132 = !{i32 7, !"uwtable", i32 2}
!133 = !{i32 7, !"frame-pointer", i32 2}
!134 = !{!"Debian clang version 19.1.7 (3~deb12u1)"}
!135 = !DILocation(line: 40, column: 43, scope: !105)
!136 = !DILocation(line: 40, column: 36, scope: !105)
!137 = distinct !DISubprogram(name: "use", linkageName: "_Z3usev", scope: !3, file: !3, line: 41, type: !138, scopeLine: 41, flags: DIFlagPrototyped, spFlags: DISPFlagDefinition, unit: !38)
!138 = !DISubroutineType(types: !139)
!139 = !{!12}
!140 = !DILocation(line: 41, column: 20, scope: !137)
!141 = !DILocation(line: 41, column: 41, scope: !137)
!142 = !DILocation(line: 41, column: 39, scope: !137)
!143 = !DILocation(line: 41, column: 55, scope: !137)
!144 = !DILocation(line: 41, column: 69, scope: !137)
!145 = !DILocation(line: 41, column: 67, scope: !137)
!146 = !DILocation(line: 41, column: 82, scope: !137)
!147 = !DILocation(line: 41, column: 80, scope: !137)
!148 = !DILocation(line: 41, column: 95, scope: !137)
!149 = !DILocation(line: 41, column: 93, scope: !137)
!150 = !DILocation(line: 41, column: 13, scope: !137)
