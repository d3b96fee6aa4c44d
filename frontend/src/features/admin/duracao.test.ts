import { describe, expect, it } from "vitest";
import { formatarMinutos, lerMinutos } from "./duracao";

describe("durations in hours and minutes", () => {
  it("shows whole hours, hours and minutes, or minutes alone", () => {
    expect(formatarMinutos(120)).toBe("2 h");
    expect(formatarMinutos(630)).toBe("10 h 30 min");
    expect(formatarMinutos(45)).toBe("45 min");
    expect(formatarMinutos(0)).toBe("0 min");
    expect(formatarMinutos(3000)).toBe("50 h");
  });

  it("reads what it shows, and the usual ways of writing it", () => {
    for (const minutos of [0, 1, 45, 60, 120, 630, 3000, 40320]) {
      expect(lerMinutos(formatarMinutos(minutos))).toBe(minutos);
    }
    expect(lerMinutos("2h")).toBe(120);
    expect(lerMinutos("10h30")).toBe(630);
    expect(lerMinutos("10h30min")).toBe(630);
    expect(lerMinutos("10 H 30")).toBe(630);
    expect(lerMinutos("2 horas")).toBe(120);
    expect(lerMinutos("30 minutos")).toBe(30);
    expect(lerMinutos("1:30")).toBe(90);
    expect(lerMinutos("1,5 h")).toBe(90);
    // A bare number is hours: every field is labelled in hours.
    expect(lerMinutos("3")).toBe(180);
    expect(lerMinutos(" 4 ")).toBe(240);
  });

  it("refuses what is not a duration", () => {
    for (const texto of ["", "  ", "h", "min", "abc", "2 dias", "-1 h", "1:75", "2 h h"]) {
      expect(lerMinutos(texto)).toBeNull();
    }
  });
});
