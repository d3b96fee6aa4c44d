import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";
import { _resetSessao } from "../lib/session";

afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
  _resetSessao();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.useRealTimers();
});
