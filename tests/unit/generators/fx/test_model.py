"""The exchange-rate model: calibrated volatility, fat tails, mean reversion, drift, pegs."""

from __future__ import annotations

import math

import numpy as np
import pytest

from datasynth.generators.fx.model import TRADING_DAYS, log_usd_paths
from datasynth.runtime.seeding import stream

LEVELS = {"EUR": 1.10, "GBP": 1.27, "TRY": 0.031, "JPY": 0.0067}


def _paths(codes, n, half_life=10_000.0, tail_df=4.0, turbulent=0.05, volatility=None, seed=5):
    return log_usd_paths(codes, n, LEVELS, volatility or {}, half_life, tail_df, turbulent,
                         lambda code: stream(seed, "fx_rates", 0, f"path/{code}"))


def test_annual_volatility_is_the_profiles():
    years = 60
    x = _paths(["EUR", "JPY"], TRADING_DAYS * years)
    for code, annual in (("EUR", 0.075), ("JPY", 0.10)):
        returns = np.diff(x[code])
        assert returns.std() * math.sqrt(TRADING_DAYS) == pytest.approx(annual, rel=0.08)


def test_daily_returns_have_fat_tails():
    returns = np.diff(_paths(["EUR"], TRADING_DAYS * 60)["EUR"])
    z = (returns - returns.mean()) / returns.std()
    excess_kurtosis = float((z ** 4).mean() - 3.0)
    assert excess_kurtosis > 2.0                    # a normal model gives 0
    # and the heavy tail is real, not one outlier: 4-sigma days are far more common than
    # the normal distribution's 6 in 100,000
    assert (np.abs(z) > 4).mean() > 10 * 6.3e-5


def test_a_short_half_life_pulls_the_rate_back_to_its_level():
    half_life = 20.0
    x = _paths(["EUR"], TRADING_DAYS * 40, half_life=half_life, turbulent=0.0)["EUR"]
    deviation = x - math.log(1.10)
    theta = math.log(2) / half_life
    sigma = 0.075 / math.sqrt(TRADING_DAYS)
    # stationary standard deviation of the discretised process: sigma / sqrt(1 - (1-theta)^2)
    expected = sigma / math.sqrt(1 - (1 - theta) ** 2)
    assert deviation.std() == pytest.approx(expected, rel=0.15)
    assert abs(deviation.mean()) < 3 * expected / math.sqrt(len(x) * theta / 2)


def test_high_inflation_currencies_depreciate_steadily():
    years = 10
    x = _paths(["TRY"], TRADING_DAYS * years + 1, half_life=500.0)["TRY"]
    slope_per_year = (x[-1] - x[0]) / years
    assert slope_per_year == pytest.approx(-0.30, abs=0.08)


@pytest.mark.parametrize("code,anchor,peg", [("HKD", "USD", 7.80), ("DKK", "EUR", 7.46)])
def test_pegged_currencies_stay_in_their_band(code, anchor, peg):
    paths = _paths([code, anchor], TRADING_DAYS * 20)
    units_per_anchor = np.exp(paths[anchor] - paths[code])
    assert np.abs(units_per_anchor / peg - 1).max() < 0.01


def test_a_currencys_path_does_not_depend_on_the_other_currencies():
    alone = _paths(["EUR"], 500)["EUR"]
    together = _paths(["GBP", "EUR", "JPY"], 500)["EUR"]
    np.testing.assert_array_equal(alone, together)
    assert not np.array_equal(alone, _paths(["EUR"], 500, seed=6)["EUR"])


def test_the_first_day_is_the_level():
    x = _paths(["GBP"], 10)
    assert math.exp(x["GBP"][0]) == pytest.approx(1.27)
