/** A trade's settings as typed (slippage %, deadline in minutes), read with lib/amm/slippage.ts. */
import { useState } from "react";
import {
  DEFAULT_DEADLINE_MINUTES,
  DEFAULT_SLIPPAGE,
  parseDeadlineMinutes,
  parseSlippage,
  slippageWarning,
} from "../amm/slippage";

export function useTradeSettings() {
  const [slippageInput, setSlippageInput] = useState(DEFAULT_SLIPPAGE);
  const [deadlineInput, setDeadlineInput] = useState(DEFAULT_DEADLINE_MINUTES);
  const slippage = parseSlippage(slippageInput);
  const deadline = parseDeadlineMinutes(deadlineInput);
  const slippageError = "error" in slippage ? slippage.error : undefined;
  const deadlineError = "error" in deadline ? deadline.error : undefined;
  return {
    slippageInput,
    setSlippageInput,
    deadlineInput,
    setDeadlineInput,
    slippageError,
    deadlineError,
    /** The first thing wrong with what was typed. */
    error: slippageError ?? deadlineError,
    /** What a slippage this loose risks. */
    warning: "value" in slippage ? slippageWarning(slippage.value) : undefined,
    /** Both settings, when both read. */
    value:
      "value" in slippage && "value" in deadline ? { slippageBps: slippage.value, minutes: deadline.value } : undefined,
  };
}

export type TradeSettingsState = ReturnType<typeof useTradeSettings>;
